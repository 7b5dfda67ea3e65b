import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { digestReadModel, EventStore, masterKeys, ProfileProjector, rebuildReadModel, SealingEventStore, SubjectKeys } from '@cds/application';
import { FileEventStore, FileKeyStore, loadOrCreateMasterKeyFile, MASTER_KEY_FILE, SqliteReadModelGenerations } from '@cds/adapters-embedded';
import { MongoProfileReadModel } from '@cds/adapters-real';
import { limitHeapGrowth } from '@cds/runtime';

/**
 * One rebuild in its own process, so its peak memory is its own (old space bounded as `cds`
 * bounds it); prints one JSON line.
 * argv: <log directory> <embedded|mongo> <batch size> [mongo url] [stop after N events]
 * Embedded: `rebuildReadModel` into fresh SQLite generations, the path `cds rebuild` takes.
 * MongoDB: the projector over the first N events with the given batch size (1 is the naive path
 * that writes one document per event).
 * Environment: CDS_BENCH_SEALED_DATA_DIR, a data directory whose `keys/` and master key opened
 * the log's sealed payloads (the log is read as the service reads it); CDS_BENCH_DIGEST=1 adds the
 * rebuilt read model's digest, taken after the timing.
 */
async function main(): Promise<void> {
  // As `cds` and the service run.
  limitHeapGrowth();
  const [directory, target, batch, mongoUrl, limitArg] = process.argv.slice(2);
  const store = await openLog(directory, process.env.CDS_BENCH_SEALED_DATA_DIR);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let events: number;
  let embedded: { generations: SqliteReadModelGenerations; generation: string; directory: string } | undefined;
  if (target === 'mongo') {
    const readModel = await MongoProfileReadModel.open(mongoUrl, `rebuild_${process.pid}_${Date.now()}`);
    await readModel.ensureIndexes();
    const until = (await store.readAll({ maxCount: Number(limitArg) })).at(-1)!.position;
    const batchSize = Number(batch);
    const projector = new ProfileProjector(store, readModel, { name: 'bench-partial', batchSize, idleFlushMs: batchSize === 1 ? 0 : 5 });
    await projector.start();
    if (!(await projector.waitFor(until, 3_600_000))) throw new Error('partial rebuild did not finish');
    await projector.stop();
    events = projector.getStatus().eventsProjected;
    await readModel.close();
  } else {
    const readModelDirectory = mkdtempSync(join(tmpdir(), 'cds-bench-rebuild-'));
    const generations = SqliteReadModelGenerations.open(readModelDirectory);
    const result = await rebuildReadModel({ store, generations, checkpointName: 'bench', batchSize: Number(batch) });
    events = result.eventsProjected;
    embedded = { generations, generation: result.generation, directory: readModelDirectory };
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  delay.disable();
  const figures = {
    events,
    seconds: Math.round(seconds * 100) / 100,
    events_per_s: Math.round(events / seconds),
    // On a busy machine the wall-clock rate says more about the neighbours than about the rebuild.
    cpu_seconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    max_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    longest_stall_ms: Math.round(delay.max / 1e6),
  };
  let digest: string | undefined;
  if (embedded) {
    // Taken once the clock has stopped: the time is the rebuild's alone.
    if (process.env.CDS_BENCH_DIGEST === '1') digest = (await digestReadModel((await embedded.generations.open(embedded.generation)).readModel)).digest;
    await embedded.generations.close();
    rmSync(embedded.directory, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ ...figures, ...(digest ? { digest } : {}) })}\n`);
  await store.close();
  process.exit(0);
}

/** The log as the service reads it: through the sealing store when its payloads are sealed. */
async function openLog(directory: string, sealedDataDir: string | undefined): Promise<EventStore> {
  const log = await FileEventStore.open({ directory, fsync: false });
  if (!sealedDataDir) return log;
  const keyStore = await FileKeyStore.open({ directory: join(sealedDataDir, 'keys') });
  const master = await loadOrCreateMasterKeyFile(join(sealedDataDir, MASTER_KEY_FILE));
  return new SealingEventStore(log, new SubjectKeys(keyStore, masterKeys(master)), keyStore);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
