import { ProfileProjector, ProfileReadModel } from '@cds/application';
import { FileEventStore, InMemoryProfileReadModel } from '@cds/adapters-embedded';
import { MongoProfileReadModel } from '@cds/adapters-real';

/**
 * One rebuild in its own process, so its peak memory is its own: folds the log from the start
 * into a fresh read model and prints one JSON line with the figures.
 * argv: <log directory> <embedded|mongo> <batch size> [mongo url] [stop after N events]
 */
async function main(): Promise<void> {
  const [directory, target, batch, mongoUrl, limitArg] = process.argv.slice(2);
  const store = await FileEventStore.open({ directory, fsync: false });
  let readModel: ProfileReadModel;
  if (target === 'mongo') {
    const mongo = await MongoProfileReadModel.open(mongoUrl, `rebuild_${process.pid}_${Date.now()}`);
    await mongo.ensureIndexes();
    readModel = mongo;
  } else {
    readModel = new InMemoryProfileReadModel();
  }
  const limit = limitArg ? Number(limitArg) : undefined;
  const target_position = limit
    ? (await store.readAll({ maxCount: limit })).at(-1)!.position
    : (await store.headPosition())!;
  const batchSize = Number(batch);
  const projector = new ProfileProjector(store, readModel, { name: 'bench-rebuild', batchSize, idleFlushMs: batchSize === 1 ? 0 : 5 });
  const start = process.hrtime.bigint();
  await projector.start();
  if (!(await projector.waitFor(target_position, 3_600_000))) throw new Error('rebuild did not finish');
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await projector.stop();
  const events = projector.getStatus().eventsProjected;
  process.stdout.write(
    `${JSON.stringify({ events, seconds, events_per_s: Math.round(events / seconds), max_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
  await readModel.close();
  await store.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
