import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { digestReadModel } from '@cds/application';
import { connectMongo, EsdbEventStore, MongoProfileReadModel } from '@cds/adapters-real';
import { sharedLogKeys } from '@cds/contract-tests';
import { AppProcess, RunningEsdb, startApp, startOwnEsdb, testServersFromEnv } from '@cds/test-servers';
import { freshRebuildDigest, openedLog, recordRecovery, until } from './fault-kit';

const USERS = 300;
type Ready = { unifier: { leases: { held: number[] } | null } | null };
type Answer = { status: number; body: any };

/**
 * A sign-in storm on the real stack: two command-API instances take the requests, two projector
 * processes share the projection and the unifier's lease, and the unifier's holder is killed -9
 * in the middle. The standby takes the lease over and carries on from the checkpoint: every
 * sign-in is answered 200 with the unified profile, every user ends with one live profile
 * holding both devices' activity, and the read model is what a fresh rebuild folds.
 */
describe('fault: the unifier is killed -9 in a sign-in storm', () => {
  const servers = testServersFromEnv();
  const database = `fault_unifier_${randomUUID().slice(0, 8)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-unifier-kill-'));
  const org = `storm-${randomUUID().slice(0, 8)}`;
  let esdb: RunningEsdb;
  let store: EsdbEventStore;
  let client: MongoClient;
  let apis: AppProcess[] = [];
  let projectors: AppProcess[] = [];

  beforeAll(async () => {
    esdb = await startOwnEsdb();
    store = await EsdbEventStore.connect(esdb.url);
    ({ client } = await connectMongo(servers.mongoUrl, 'admin'));
    const env = {
      ...sharedLogKeys(),
      CDS_EVENTSTORE_URL: esdb.url,
      CDS_MONGO_URL: servers.mongoUrl,
      CDS_MONGO_DATABASE: database,
      CDS_PROJECTOR_PARTITIONS: '2',
      // The API instances share one data directory: the built-in issuer's key, so a token works on both.
      CDS_DATA_DIR: dataDir,
      CDS_DEV_CLIENT_ID: 'storm-client',
      CDS_DEV_CLIENT_SECRET: 'storm-secret',
    };
    projectors = await Promise.all([startApp('projector', env), startApp('projector', env)]);
    apis = await Promise.all([0, 1].map(() => startApp('command-api', { ...env, CDS_PROJECTOR: 'external', CDS_UNIFIER: 'external' })));
    await Promise.all([...projectors, ...apis].map((app) => app.ready(60_000)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...apis, ...projectors].map((app) => app.kill()));
    await client?.db(database).dropDatabase();
    await client?.close();
    await store?.close();
    await esdb?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let token = '';
  async function call(api: AppProcess, method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${api.url}/t/${org}/cds/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  const unifierHeld = async (projector: AppProcess) => (await projector.json<Ready>('/health/ready')).body.unifier?.leases?.held.length ?? 0;

  it('answers every sign-in with the unified profile, and ends as a fresh rebuild folds the log', async () => {
    const basic = Buffer.from('storm-client:storm-secret').toString('base64');
    const issued = await fetch(`${apis[0].url}/t/${org}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    token = ((await issued.json()) as { access_token: string }).access_token;
    expect((await call(apis[0], 'POST', '/profile-schema/traits', [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }])).status).toBe(201);

    // Every device writes a value: 300 users on a phone and a laptop, created through both instances.
    const devices: Array<{ user: string; tracker: string }> = [];
    for (let i = 0; i < USERS * 2; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, j) => call(apis[(i + j) % 2], 'POST', '/profiles', { traits: { visits: 1 } })),
      );
      for (const [j, created] of batch.entries()) {
        expect(created.status).toBe(201);
        devices.push({ user: `user-${Math.floor((i + j) / 2)}`, tracker: created.body.anonymous_profile_tracker });
      }
    }

    await until(async () => (await Promise.all(projectors.map(unifierHeld))).reduce((a, b) => a + b, 0) === 1, 30_000, 'one unifier holder');
    const holderIndex = (await unifierHeld(projectors[0])) === 1 ? 0 : 1;
    const [holder, standby] = [projectors[holderIndex], projectors[1 - holderIndex]];

    // All 600 sign-ins at once, spread over both instances; the unifier's holder dies a quarter in.
    let answered = 0;
    let slowest = 0;
    let tookOver: Promise<number> | undefined;
    const answers = await Promise.all(
      devices.map(async (device, i) => {
        const sent = Date.now();
        const answer = await call(apis[i % 2], 'POST', '/profiles/sync', { event: 'AUTHENTICATION_SUCCESS', user_id: device.user, anonymous_profile_tracker: device.tracker });
        slowest = Math.max(slowest, Date.now() - sent);
        if (++answered === Math.floor(devices.length / 4)) {
          void holder.kill();
          tookOver = until(async () => (await unifierHeld(standby)) === 1, 15_000, 'the standby to take the unifier over');
        }
        return { user: device.user, ...answer };
      }),
    );
    const statuses = answers.reduce<Record<number, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {});
    expect(statuses).toEqual({ 200: devices.length });
    expect(tookOver).toBeDefined();
    recordRecovery('unifier holder killed -9 in a sign-in storm (standby takes the lease)', await tookOver!, { users: USERS, slowest_sign_in_ms: slowest });

    // Each answer is the user's unified profile as of its sign-in: the later of a user's two
    // sign-ins finds both devices merged.
    const visits = new Map<string, number[]>();
    for (const answer of answers) visits.set(answer.user, [...(visits.get(answer.user) ?? []), answer.body.traits.visits]);
    for (const [user, seen] of visits) expect({ user, most: Math.max(...seen) }).toEqual({ user, most: 2 });

    const head = (await store.headPosition())!;
    expect((await call(apis[1], 'GET', `/profiles/${randomUUID()}?wait_for_position=${head}`)).status).toBe(404);
    for (let u = 0; u < USERS; u++) {
      const listed = await call(apis[u % 2], 'GET', `/profiles?filter=${encodeURIComponent(`user_id eq user-${u}`)}`);
      expect(listed.status).toBe(200);
      expect(listed.body.profiles.map((p: { traits: unknown }) => p.traits)).toEqual([{ visits: 2 }]);
    }
    const live = await digestReadModel(new MongoProfileReadModel(client.db(database)), { tenants: [org] });
    const opened = await openedLog(store, servers.mongoUrl);
    try {
      expect(live).toEqual(await freshRebuildDigest(opened.log, client.db(database), org, 2));
    } finally {
      await opened.close();
    }
  }, 300_000);
});
