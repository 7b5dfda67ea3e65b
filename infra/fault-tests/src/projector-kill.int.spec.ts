import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { digestReadModel, lowestCheckpoint, ProjectorStatus } from '@cds/application';
import { connectMongo, EsdbEventStore, MongoProfileReadModel } from '@cds/adapters-real';
import { sharedLogKeys } from '@cds/contract-tests';
import { AppProcess, RunningEsdb, startApp, startOwnEsdb, testServersFromEnv } from '@cds/test-servers';
import { freshRebuildDigest, LIVE_CHECKPOINT, readVisits, recordRecovery, startLoad, until, writeVisits } from './fault-kit';

type Ready = { status: string; projector: ProjectorStatus; problems?: string[] };

/**
 * Projector instances share partitions through leases in MongoDB. Killed with SIGKILL, a holder
 * leaves its leases to expire; the survivor takes its partitions over and the read model ends
 * exactly as a fresh rebuild folds the log.
 */
describe('fault: a projector lease holder is killed -9', () => {
  const servers = testServersFromEnv();
  // A log of its own: its load would slow every later spec that folds the shared log.
  let esdb: RunningEsdb;
  let store: EsdbEventStore;
  let client: MongoClient;
  const apps: AppProcess[] = [];
  const databases: string[] = [];

  beforeAll(async () => {
    esdb = await startOwnEsdb();
    store = await EsdbEventStore.connect(esdb.url);
    ({ client } = await connectMongo(servers.mongoUrl, 'admin'));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    for (const database of databases) await client.db(database).dropDatabase();
    await client?.close();
    await store?.close();
    await esdb?.stop();
  });

  async function projectors(count: number, partitions: number): Promise<{ database: string; started: AppProcess[] }> {
    const database = `fault_kill_${randomUUID().slice(0, 8)}`;
    databases.push(database);
    const env = { ...sharedLogKeys(), CDS_UNIFIER: 'external', CDS_EVENTSTORE_URL: esdb.url, CDS_MONGO_URL: servers.mongoUrl, CDS_MONGO_DATABASE: database, CDS_PROJECTOR_PARTITIONS: String(partitions) };
    // Started at once: they race for the same leases.
    const started = await Promise.all(Array.from({ length: count }, () => startApp('projector', env)));
    apps.push(...started);
    await Promise.all(started.map((app) => app.live()));
    return { database, started };
  }

  const ready = (app: AppProcess) => app.json<Ready>('/health/ready');

  it('two projectors started at once over one partition: one writes, the other stands by, both ready; the standby takes over', async () => {
    const { started } = await projectors(2, 1);
    await until(async () => (await Promise.all(started.map(ready))).every((r) => r.status === 200), 30_000, 'both ready');
    const states = (await Promise.all(started.map(ready))).map((r) => r.body.projector);
    expect(states.map((s) => s.partitions.held.length).sort()).toEqual([0, 1]);
    const [holder, standby] = states[0].partitions.held.length === 1 ? started : [started[1], started[0]];
    expect((await ready(standby)).body.projector.standingBy).toBe(true);

    await holder.kill();
    const killedAt = Date.now();
    await until(async () => (await ready(standby)).body.projector.partitions.held.length === 1, 15_000, 'the standby to take over');
    const takeover = Date.now() - killedAt;
    recordRecovery('projector lease holder killed -9 (standby takes over)', takeover, { partitions: 1 });
    expect(takeover).toBeLessThan(10_000);
  });

  it('the survivor takes the dead holder’s partitions over under load; nothing is lost or doubled', async () => {
    const load = await startLoad(store, 40);
    const { database, started } = await projectors(2, 4);
    const writing = writeVisits(store, load, 2500, 6);
    await until(async () => (await Promise.all(started.map(ready))).every((r) => r.body.projector.partitions.held.length === 2), 30_000, 'two partitions each');
    const [victim, survivor] = started;
    await victim.kill();
    const killedAt = Date.now();
    const headAtKill = (await store.headPosition())!;
    await until(async () => (await ready(survivor)).body.projector.partitions.held.length === 4, 15_000, 'the survivor to hold every partition');
    const takeover = Date.now() - killedAt;
    const readModel = new MongoProfileReadModel(client.db(database));
    await until(async () => ((await lowestCheckpoint((n) => readModel.checkpoint(n), LIVE_CHECKPOINT, 4)) ?? -1) >= headAtKill, 30_000, 'catching up');
    recordRecovery('projector lease holder killed -9 under load', Date.now() - killedAt, { takeover_ms: takeover, partitions: 4 });
    await writing;

    const head = (await store.headPosition())!;
    await until(async () => ((await lowestCheckpoint((n) => readModel.checkpoint(n), LIVE_CHECKPOINT, 4)) ?? -1) >= head, 60_000, 'the whole load');
    expect((await ready(survivor)).status).toBe(200);
    expect(await readVisits(readModel, load)).toEqual(load.visits);
    expect(await digestReadModel(readModel, { tenants: [load.tenant] })).toEqual(await freshRebuildDigest(store, client.db(database), load.tenant));
  });
});
