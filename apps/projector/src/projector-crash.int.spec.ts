import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ProfileProjector } from '@cds/application';
import { connectMongo, EsdbEventStore, MongoProfileReadModel } from '@cds/adapters-real';
import { sharedLogKeys, writeProfileScenario } from '@cds/contract-tests';
import { LIVE_CHECKPOINT } from '@cds/runtime';

const PROJECTOR_MAIN = join(__dirname, '../../../dist/apps/projector/src/main.js');

/**
 * The projector app killed with SIGKILL in the middle of its catch-up, several times, resumes
 * from its checkpoint and ends with exactly the read model of a clean run.
 */
describe('projector app: kill -9 during catch-up', () => {
  const database = `crash_${randomBytes(5).toString('hex')}`;
  let store: EsdbEventStore;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    store = await EsdbEventStore.connect(process.env.CDS_TEST_ESDB_URL!);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await store.close();
  });

  function startProjector(): ChildProcess {
    return spawn(process.execPath, [PROJECTOR_MAIN], {
      env: {
        ...process.env,
        ...sharedLogKeys(),
        // The projector alone: the log is shared with every spec of the run, their tenants are theirs to unify.
        CDS_UNIFIER: 'external',
        CDS_EVENTSTORE_URL: process.env.CDS_TEST_ESDB_URL,
        CDS_MONGO_URL: process.env.CDS_TEST_MONGO_URL,
        CDS_MONGO_DATABASE: database,
        CDS_PORT: '0',
        CDS_HOST: '127.0.0.1',
        CDS_PROJECTOR_BATCH_SIZE: '10',
      },
      stdio: 'ignore',
    });
  }

  it('ends with the same documents as a clean run', async () => {
    const tenants: string[] = [];
    const ids: string[][] = [];
    for (let i = 0; i < 12; i++) {
      const result = await writeProfileScenario(store, `crash-${randomBytes(4).toString('hex')}`);
      tenants.push(result.tenant);
      ids.push(result.profileIds);
    }
    const head = (await store.headPosition())!;
    const { client, db } = await connectMongo(process.env.CDS_TEST_MONGO_URL!, database);
    const live = new MongoProfileReadModel(db);
    try {
      // Kill it three times while it is catching up, each time after it made some progress.
      for (let kill = 0; kill < 3; kill++) {
        const before = await live.checkpoint(LIVE_CHECKPOINT);
        child = startProjector();
        await until(async () => {
          const now = await live.checkpoint(LIVE_CHECKPOINT);
          return now !== null && now !== before;
        });
        child.kill('SIGKILL');
        await new Promise((resolve) => child!.once('exit', resolve));
        expect(await live.checkpoint(LIVE_CHECKPOINT)).not.toBe(head);
      }
      child = startProjector();
      await until(async () => (await live.checkpoint(LIVE_CHECKPOINT)) === head);
      child.kill('SIGTERM');

      const clean = new MongoProfileReadModel(db, { collection: 'profiles_clean', checkpointCollection: 'checkpoints_clean' });
      await clean.ensureIndexes();
      const projector = new ProfileProjector(store, clean, { name: 'clean', batchSize: 500, idleFlushMs: 1 });
      await projector.start();
      expect(await projector.waitFor(head, 60_000)).toBe(true);
      await projector.stop();

      for (const [i, tenant] of tenants.entries()) {
        const resumed = await live.getMany(tenant, ids[i]);
        const reference = await clean.getMany(tenant, ids[i]);
        expect(resumed.size).toBe(ids[i].length);
        expect(resumed).toEqual(reference);
      }
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
