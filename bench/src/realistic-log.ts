import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FileEventStore, LOG_FILE_NAME } from '@cds/adapters-embedded';
import { BenchContext, BenchModule } from './bench-module';
import { generateLog } from './generate-log';
import { elapsedMs, log, round } from './measure';

/** About 12.4 events a person with this shape (devices, writes, sign-ins, merges). */
const EVENTS_PER_PERSON = 12.4;

export interface RealisticLog {
  /** A data directory (CDS_DATA_DIR) holding the log under `log/`. */
  data_dir: string;
  events: number;
  profiles: number;
  live_profiles: number;
  merges: number;
  tenants: number;
  log_mib: number;
  seconds: number;
}

/** The log the other measures read: written once per run, through the application's commands. */
export const realisticLog: BenchModule = {
  name: 'log',
  async run(context: BenchContext) {
    const { events, tenants } = context.flags;
    const dataDir = join(context.scratch, 'realistic');
    const store = await FileEventStore.open({ directory: join(dataDir, 'log'), fsync: false });
    log(`generating a log of about ${events} events over ${tenants} tenants`);
    const start = process.hrtime.bigint();
    const people = Math.max(1, Math.round(events / (EVENTS_PER_PERSON * tenants)));
    const generated = await generateLog(store, { tenants, people, writesPerDevice: 4, signInShare: 0.6, seed: 42 }, (n) => log(`  ${n} events`));
    await store.close();
    const figures: RealisticLog = {
      data_dir: dataDir,
      ...generated,
      tenants: generated.tenants.length,
      log_mib: round(statSync(join(dataDir, 'log', LOG_FILE_NAME)).size / 2 ** 20, 1),
      seconds: round(elapsedMs(start) / 1000, 1),
    };
    return { ...figures };
  },
};

/** Opens the realistic log for `use`, and closes it after. */
export async function withRealisticLog<T>(context: BenchContext, use: (store: FileEventStore) => Promise<T>): Promise<T> {
  const store = await FileEventStore.open({ directory: join(realisticLogOf(context).data_dir, 'log'), fsync: false });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** The log written by `realisticLog` earlier in the run. */
export function realisticLogOf(context: BenchContext): RealisticLog {
  const figures = context.results.log as RealisticLog | undefined;
  if (!figures?.data_dir) throw new Error('needs the realistic log, which was not written');
  return figures;
}
