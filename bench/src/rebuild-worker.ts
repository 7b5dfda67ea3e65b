import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ProfileProjector, rebuildReadModel } from '@cds/application';
import { FileEventStore, SqliteReadModelGenerations } from '@cds/adapters-embedded';
import { MongoProfileReadModel } from '@cds/adapters-real';

/**
 * One rebuild in its own process, so its peak memory is its own; prints one JSON line.
 * argv: <log directory> <embedded|mongo> <batch size> [mongo url] [stop after N events]
 * Embedded: `rebuildReadModel` into fresh SQLite generations, the path `cds rebuild` takes.
 * MongoDB: the projector over the first N events with the given batch size (1 is the naive path
 * that writes one document per event).
 */
async function main(): Promise<void> {
  const [directory, target, batch, mongoUrl, limitArg] = process.argv.slice(2);
  const store = await FileEventStore.open({ directory, fsync: false });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let events: number;
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
    try {
      const generations = SqliteReadModelGenerations.open(readModelDirectory);
      const result = await rebuildReadModel({ store, generations, checkpointName: 'bench', batchSize: Number(batch) });
      events = result.eventsProjected;
      await generations.close();
    } finally {
      rmSync(readModelDirectory, { recursive: true, force: true });
    }
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
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  await store.close();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
