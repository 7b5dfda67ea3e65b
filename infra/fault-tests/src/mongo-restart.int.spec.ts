import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { digestReadModel, lowestCheckpoint, ProjectorStatus } from '@cds/application';
import { connectMongo, EsdbEventStore, MongoProfileReadModel } from '@cds/adapters-real';
import { sharedLogKeys } from '@cds/contract-tests';
import { AppProcess, RunningEsdb, RunningMongo, startApp, startOwnEsdb, startOwnMongo } from '@cds/test-servers';
import { freshRebuildDigest, LIVE_CHECKPOINT, readVisits, recordRecovery, startLoad, until, writeVisits } from './fault-kit';

/**
 * The MongoDB server restarts under projection load: the projectors' writes and lease renewals
 * fail meanwhile, they give their leases up, retry, take them back and catch up; nothing is lost
 * or doubled.
 */
describe('fault: MongoDB restarts under projection load', () => {
  let mongo: RunningMongo;
  // A log of its own: its load would slow every later spec that folds the shared log.
  let esdb: RunningEsdb;
  let store: EsdbEventStore;
  let client: MongoClient;
  const apps: AppProcess[] = [];
  const database = `fault_mongo_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    esdb = await startOwnEsdb();
    mongo = await startOwnMongo();
    store = await EsdbEventStore.connect(esdb.url);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await client?.close();
    await store?.close();
    await esdb?.stop();
    await mongo?.stop();
  });

  it('the projectors ride the restart out and end with the fresh rebuild’s read model', async () => {
    const load = await startLoad(store, 40);
    const env = { ...sharedLogKeys(), CDS_UNIFIER: 'external', CDS_EVENTSTORE_URL: esdb.url, CDS_MONGO_URL: mongo.url, CDS_MONGO_DATABASE: database, CDS_PROJECTOR_PARTITIONS: '4' };
    apps.push(...(await Promise.all([startApp('projector', env), startApp('projector', env)])));
    await Promise.all(apps.map((app) => app.ready()));
    const writing = writeVisits(store, load, 3000, 6);
    ({ client } = await connectMongo(mongo.url, database));
    const readModel = new MongoProfileReadModel(client.db(database));
    const lowest = () => lowestCheckpoint((n) => readModel.checkpoint(n), LIVE_CHECKPOINT, 4).then((p) => p ?? -1);
    await until(async () => (await lowest()) > 0, 30_000, 'projection under way');

    await mongo.restart(2000);
    const backAt = Date.now();
    const headWhenBack = (await store.headPosition())!;
    await until(async () => (await lowest().catch(() => -1)) >= headWhenBack, 60_000, 'the projectors to catch up after the restart');
    recordRecovery('MongoDB restarted under projection load (2 s down)', Date.now() - backAt, { partitions: 4, projectors: 2 });

    await writing;
    const head = (await store.headPosition())!;
    await until(async () => (await lowest()) >= head, 60_000, 'the whole load');
    await until(async () => (await Promise.all(apps.map((app) => app.json<{ projector: ProjectorStatus }>('/health/ready')))).every((r) => r.status === 200), 30_000, 'both ready again');
    expect(await readVisits(readModel, load)).toEqual(load.visits);
    expect(await digestReadModel(readModel, { tenants: [load.tenant] })).toEqual(await freshRebuildDigest(store, client.db(database), load.tenant));
  });
});
