import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { digestReadModel, InMemoryLeaseStore, ProfileProjector } from '@cds/application';
import { connectMongo, EsdbEventStore, MongoProfileReadModel } from '@cds/adapters-real';
import { EsdbFaultControl, RunningEsdb, startOwnEsdb, testServersFromEnv } from '@cds/test-servers';
import { freshRebuildDigest, headOf, LIVE_CHECKPOINT, readVisits, recordRecovery, startLoad, until, writeVisits } from './fault-kit';

/**
 * EventStoreDB drops the projector's subscription, in the middle of its catch-up (the node went
 * away) and while live (a consumer too slow): the projector resubscribes from where it got to,
 * and the read model ends exactly as a fresh rebuild folds the log.
 */
describe('fault: the log drops the projector subscription', () => {
  let esdb: RunningEsdb;
  let store: EsdbEventStore;
  let client: MongoClient;
  const database = `fault_drop_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    esdb = await startOwnEsdb();
    store = await EsdbEventStore.connect(esdb.url, { resubscribe: { initialDelayMs: 50, maxDelayMs: 1000 } });
    ({ client } = await connectMongo(testServersFromEnv().mongoUrl, database));
  });
  afterAll(async () => {
    await store?.close();
    await esdb?.stop();
    await client?.db(database).dropDatabase();
    await client?.close();
  });

  it('resubscribes mid-catch-up and live, losing and doubling nothing', async () => {
    const faults = new EsdbFaultControl(esdb.controlUrl);
    const load = await startLoad(store, 40);
    await writeVisits(store, load, 2000);
    const readModel = new MongoProfileReadModel(client.db(database));
    await readModel.ensureIndexes();
    const projector = new ProfileProjector(store, readModel, {
      name: LIVE_CHECKPOINT,
      partitions: 4,
      batchSize: 50,
      idleFlushMs: 5,
      leases: { store: new InMemoryLeaseStore(), holder: 'test' },
    });
    await projector.start();
    try {
      // Mid-catch-up: some of the log is in, most is not.
      await until(() => projector.getStatus().eventsProjected > 100, 30_000, 'the catch-up to start');
      expect(projector.getStatus().eventsProjected).toBeLessThan(2000);
      const before = projector.getStatus().eventsProjected;
      const dropped = await faults.dropSubscriptions({ reason: 'unavailable' });
      expect(dropped.subscriptions).toBeGreaterThanOrEqual(1);
      // Recovered: subscribed again (what was read ahead before the drop may still be folding meanwhile).
      const resubscribed = await until(async () => (await faults.state()).openSubscriptions >= 1, 30_000, 'a new subscription');
      await until(() => projector.getStatus().eventsProjected > before + 50, 30_000, 'progress after the drop');
      recordRecovery('subscription dropped mid-catch-up', resubscribed, { events_before: before });

      const head = await headOf(store);
      expect(await projector.waitFor(head, 60_000)).toBe(true);

      // Live: drop it as a too-slow consumer while new writes arrive.
      const writing = writeVisits(store, load, 400, 4);
      await until(async () => (await headOf(store)) > head, 10_000, 'new writes');
      await faults.dropSubscriptions({ reason: 'consumer-too-slow' });
      const droppedAt = Date.now();
      const headAtDrop = await headOf(store);
      const liveRecovery = await until(async () => (await faults.state()).openSubscriptions >= 1, 30_000, 'a new subscription');
      expect(await projector.waitFor(headAtDrop, 30_000)).toBe(true);
      recordRecovery('subscription dropped live (consumer too slow)', liveRecovery, { head_at_drop_in_ms: Date.now() - droppedAt });
      await writing;
      const finalHead = await headOf(store);
      expect(await projector.waitFor(finalHead, 60_000)).toBe(true);
      expect((await faults.state()).droppedSubscriptions).toBeGreaterThanOrEqual(2);
      expect(projector.getStatus().failures).toBe(0);
    } finally {
      await projector.stop();
    }

    expect(await readVisits(readModel, load)).toEqual(load.visits);
    expect(await digestReadModel(readModel, { tenants: [load.tenant] })).toEqual(await freshRebuildDigest(store, client.db(database), load.tenant));
  });
});
