import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { digestReadModel } from '@cds/application';
import { connectMongo, EsdbEventStore, MongoProfileReadModel } from '@cds/adapters-real';
import { sharedLogKeys } from '@cds/contract-tests';
import { AppProcess, RunningEsdb, RunningKafka, startApp, startOwnEsdb, startOwnKafka, testServersFromEnv } from '@cds/test-servers';
import { freshRebuildDigest, openedLog, recordRecovery, sleep, until } from './fault-kit';

const ORG = `kafka-fault-${randomUUID().slice(0, 6)}`;

/**
 * The Kafka broker restarts while activity flows in: the command API's consumer reconnects and
 * carries on from its committed offsets; every message the producer saw acknowledged is applied
 * exactly once (redelivery is harmless: event_id), and the read model equals a fresh rebuild.
 */
describe('fault: the Kafka broker restarts under ingest', () => {
  const servers = testServersFromEnv();
  let kafka: RunningKafka;
  let api: AppProcess;
  let producer: Producer;
  // A log of its own: its load would slow every later spec that folds the shared log.
  let esdb: RunningEsdb;
  let store: EsdbEventStore;
  let client: MongoClient;
  const database = `fault_kafka_${randomUUID().slice(0, 8)}`;
  const topic = `activity-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    esdb = await startOwnEsdb();
    kafka = await startOwnKafka();
    const admin = new Kafka({ clientId: 'fault-admin', brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    api = await startApp('command-api', {
      ...sharedLogKeys(),
      CDS_EVENTSTORE_URL: esdb.url,
      CDS_MONGO_URL: servers.mongoUrl,
      CDS_MONGO_DATABASE: database,
      CDS_PROJECTOR: 'in-process',
      // The log is shared by every spec of the run: the unifier keeps to this spec's tenant.
      CDS_UNIFIER_TENANTS: ORG,
      CDS_KAFKA_BROKERS: kafka.brokers,
      CDS_KAFKA_GROUP_ID: `cds-${randomUUID().slice(0, 8)}`,
      CDS_KAFKA_ACTIVITY_TOPIC: topic,
      CDS_KAFKA_IDENTITY_TOPIC: `${topic}-identity`,
      CDS_KAFKA_DEAD_LETTER_TOPIC: `${topic}-dead`,
    });
    await api.ready();
    producer = new Kafka({ clientId: 'fault-producer', brokers: [kafka.brokers], logLevel: logLevel.NOTHING, retry: { retries: 2, maxRetryTime: 1000 } }).producer();
    await producer.connect();
    store = await EsdbEventStore.connect(esdb.url);
    ({ client } = await connectMongo(servers.mongoUrl, database));
  });
  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await api?.stop();
    await kafka?.stop();
    await store?.close();
    await esdb?.stop();
    await client?.db(database).dropDatabase();
    await client?.close();
  });

  async function call(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${api.url}/t/${ORG}/cds/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  it('applies every acknowledged message once across the restart', async () => {
    const issued = await fetch(`${api.url}/t/${ORG}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('cds-dev-client:cds-dev-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const token = ((await issued.json()) as { access_token: string }).access_token;
    expect((await call('POST', '/profile-schema/traits', token, { attribute_name: 'traits.visits', value_type: 'integer', merge_strategy: 'sum' })).status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await call('POST', '/profiles', token, {})).body.profile_id);
    const visits = async () => {
      let total = 0;
      for (const id of ids) total += Number((await call('GET', `/profiles/${id}`, token)).body?.traits?.visits ?? 0);
      return total;
    };

    // Each message is sent until the broker acknowledged it; a send that failed may have landed
    // anyway, and its retry carries the same event_id.
    const messages = Array.from({ length: 600 }, (_, i) => ({ id: ids[i % ids.length], eventId: `visit-${i}` }));
    let acknowledged = 0;
    let restartedAt = 0;
    const produce = (async () => {
      for (const message of messages) {
        const value = JSON.stringify({ org: ORG, event_id: message.eventId, profile_id: message.id, traits: { visits: 1 } });
        for (;;) {
          try {
            await producer.send({ topic, messages: [{ key: message.id, value }] });
            break;
          } catch {
            await sleep(200);
          }
        }
        acknowledged += 1;
        if (acknowledged % 50 === 0) await sleep(20);
      }
    })();
    await until(() => acknowledged >= 200, 60_000, 'the first messages');
    await kafka.restart({ downMs: 1500 });
    restartedAt = Date.now();
    const appliedWhenBack = await visits();
    await until(async () => (await visits()) > appliedWhenBack, 60_000, 'ingest to go on after the restart');
    recordRecovery('Kafka broker restarted under ingest (1.5 s down)', Date.now() - restartedAt, { applied_before: appliedWhenBack });
    await produce;
    await until(async () => (await visits()) >= messages.length, 90_000, 'every message applied');
    await sleep(1000);
    expect(await visits()).toBe(messages.length);

    const live = new MongoProfileReadModel(client.db(database));
    const opened = await openedLog(store, servers.mongoUrl);
    try {
      expect(await digestReadModel(live, { tenants: [ORG] })).toEqual(await freshRebuildDigest(opened.log, client.db(database), ORG));
    } finally {
      await opened.close();
    }
  });
});
