import { ProfileProjector, rebuildReadModel, ReadModelGenerations } from '@cds/application';
import { FileEventStore, InMemoryProfileReadModel, InMemoryReadModelGenerations } from '@cds/adapters-embedded';
import { MongoProfileReadModel, MongoReadModelGenerations } from '@cds/adapters-real';

/**
 * One rebuild in its own process, so its peak memory is its own; prints one JSON line.
 * argv: <log directory> <embedded|mongo> <batch size> [mongo url] [stop after N events]
 * A full rebuild goes through `rebuildReadModel`, the path `cds rebuild` takes. A partial one
 * (the first N events) runs the projector with the given batch size: 1 is the naive path that
 * writes one document per event.
 */
async function main(): Promise<void> {
  const [directory, target, batch, mongoUrl, limitArg] = process.argv.slice(2);
  const store = await FileEventStore.open({ directory, fsync: false });
  const database = `rebuild_${process.pid}_${Date.now()}`;
  const start = process.hrtime.bigint();
  let events: number;
  if (limitArg) {
    const readModel = await MongoProfileReadModel.open(mongoUrl, database);
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
    const generations: ReadModelGenerations =
      target === 'mongo' ? await MongoReadModelGenerations.open(mongoUrl, database) : InMemoryReadModelGenerations.around(new InMemoryProfileReadModel());
    const result = await rebuildReadModel({ store, generations, checkpointName: 'bench', batchSize: Number(batch) });
    events = result.eventsProjected;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(
    `${JSON.stringify({ events, seconds, events_per_s: Math.round(events / seconds), max_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
  await store.close();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
