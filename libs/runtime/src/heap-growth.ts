import { setFlagsFromString } from 'node:v8';

/** Old space may grow this much past the heap that survived the last full collection. */
const DEFAULT_GROWTH_PERCENT = 50;

/**
 * Keeps the process's memory near what it holds alive. Requests of the write path live across an
 * fsync, survive two scavenges and are promoted; V8's default lets old space grow to about four
 * times the live heap before it collects, so the service's RSS tracked the garbage, not the data.
 * Growth bounded to half the live heap keeps RSS near it at no loss of throughput (see
 * bench/README.md). CDS_HEAP_GROWTH_PERCENT sets another bound; 0 leaves V8's own.
 */
export function limitHeapGrowth(env: Record<string, string | undefined> = process.env): number {
  const raw = env.CDS_HEAP_GROWTH_PERCENT?.trim();
  const percent = raw ? Number(raw) : DEFAULT_GROWTH_PERCENT;
  if (!Number.isInteger(percent) || percent < 0 || percent > 1000) {
    throw new Error(`Configuration: CDS_HEAP_GROWTH_PERCENT must be a whole number from 0 to 1000, not ${JSON.stringify(raw)}`);
  }
  if (percent > 0 && !process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) {
    setFlagsFromString(`--heap-growing-percent=${percent}`);
  }
  return percent;
}
