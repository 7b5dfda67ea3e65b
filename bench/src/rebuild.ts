import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BenchModule } from './bench-module';
import { log, round } from './measure';
import { realisticLogOf } from './realistic-log';
import { profilingArgs } from './profiling';

const run = promisify(execFile);

export interface RebuildFigures {
  events: number;
  seconds: number;
  events_per_s: number;
  cpu_seconds: number;
  max_rss_mib: number;
  longest_stall_ms: number;
  /** The rebuilt read model's digest, when asked for. */
  digest?: string;
}

export interface RebuildRunOptions {
  mongoUrl?: string;
  limitEvents?: number;
  /** The data directory whose keys open the log's sealed payloads. */
  sealedDataDir?: string;
  /** Also digest the rebuilt read model (after the timing). */
  digest?: boolean;
  /** Names the CPU profile, when profiling. */
  label?: string;
}

/** Runs one rebuild in a child process (see rebuild-worker.ts) and returns its figures. */
export async function measureRebuild(
  logDirectory: string,
  target: 'embedded' | 'mongo',
  batchSize: number,
  options: RebuildRunOptions = {},
): Promise<RebuildFigures> {
  const args = [
    ...profilingArgs(options.label ?? `rebuild-${target}-${batchSize}`),
    join(__dirname, 'rebuild-worker.js'),
    logDirectory,
    target,
    String(batchSize),
    options.mongoUrl ?? '',
    options.limitEvents ? String(options.limitEvents) : '',
  ];
  const env = { ...process.env, CDS_BENCH_SEALED_DATA_DIR: options.sealedDataDir ?? '', CDS_BENCH_DIGEST: options.digest ? '1' : '' };
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20, timeout: 3_600_000, env });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** The whole realistic log into a fresh SQLite read model, as `cds rebuild` does, against the fold ceiling. */
export const embeddedRebuild: BenchModule = {
  name: 'rebuild_embedded',
  async run(context) {
    log('rebuilding the embedded read model (SQLite)');
    return { ...(await measureRebuild(join(realisticLogOf(context).data_dir, 'log'), 'embedded', 1000)) };
  },
  targets(figures, context) {
    const fold = context.results.fold as { events_per_s?: number } | undefined;
    const rate = figures.events_per_s as number;
    return [
      { name: 'embedded rebuild', measured: rate, target: 500_000, better: 'higher', unit: 'events/s' },
      { name: 'embedded rebuild vs fold ceiling', measured: fold?.events_per_s ? round((rate / fold.events_per_s) * 100, 1) : null, target: 50, better: 'higher', unit: '%' },
      { name: 'rebuild peak RSS', measured: figures.max_rss_mib as number, target: 400, better: 'lower', unit: 'MiB' },
    ];
  },
};

/** The first part of the log into the MongoDB wire server: batched, and one write per event. */
export const mongoProjection: BenchModule = {
  name: 'projection_mongo',
  async run(context) {
    const mongoUrl = context.servers.mongoUrl;
    if (!mongoUrl) throw new Error('no MongoDB wire server (run through npm run bench)');
    const directory = join(realisticLogOf(context).data_dir, 'log');
    // The wire server keeps everything in its JVM heap: these fold the first part of the log.
    log(`projecting into the MongoDB wire server, batched (first ${context.flags.mongoEvents} events)`);
    const batched = await measureRebuild(directory, 'mongo', 1000, { mongoUrl, limitEvents: context.flags.mongoEvents });
    log(`projecting into the MongoDB wire server, one write per event (first ${context.flags.naiveEvents} events)`);
    const naive = await measureRebuild(directory, 'mongo', 1, { mongoUrl, limitEvents: context.flags.naiveEvents });
    return { batched, naive };
  },
  targets(figures) {
    const { batched, naive } = figures as { batched: RebuildFigures; naive: RebuildFigures };
    return [
      { name: 'projection into the MongoDB wire server', measured: batched.events_per_s, target: 60_000, better: 'higher', unit: 'events/s' },
      { name: 'MongoDB projection, batched vs one write per event', measured: round(batched.events_per_s / naive.events_per_s, 1), target: 10, better: 'higher', unit: '×' },
    ];
  },
};
