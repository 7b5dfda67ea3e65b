import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { ApiClient, expectStatus } from '../../test/api-client';
import { realServers, realStackEnv, unique } from '../../test/real-servers';
import { RunningApp, startTestApp } from '../../test/test-app';

/** SPEC §7 against a real Kafka broker: activity and sign-ins from topics, dead letters, redelivery. */
describe('Kafka ingest', () => {
  const topics = { activity: unique('activity'), identity: unique('identity'), dead: unique('dead') };
  let running: RunningApp;
  let api: ApiClient;
  let producer: Producer;
  let deadConsumer: Consumer;
  const deadLetters: Array<{ reason: { code: string }; value: string | null }> = [];

  beforeAll(async () => {
    const { kafka: brokers } = realServers();
    const kafka = new Kafka({ clientId: 'kafka-ingest-spec', brokers: [brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 2 })) });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    deadConsumer = kafka.consumer({ groupId: unique('dead-reader') });
    await deadConsumer.connect();
    await deadConsumer.subscribe({ topic: topics.dead, fromBeginning: true });
    await deadConsumer.run({ eachMessage: async ({ message }) => void deadLetters.push(JSON.parse(message.value!.toString())) });

    // The whole real path: Kafka → command API → EventStoreDB → projector → MongoDB.
    running = await startTestApp({
      ...realStackEnv(['kafka-org']),
      CDS_KAFKA_BROKERS: brokers,
      CDS_KAFKA_GROUP_ID: unique('cds'),
      CDS_KAFKA_ACTIVITY_TOPIC: topics.activity,
      CDS_KAFKA_IDENTITY_TOPIC: topics.identity,
      CDS_KAFKA_DEAD_LETTER_TOPIC: topics.dead,
    });
    api = new ApiClient(running.baseUrl, 'kafka-org');
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
      ]),
      201,
    );
  });

  afterAll(async () => {
    await running?.stop();
    await deadConsumer?.disconnect();
    await producer?.disconnect();
  });

  const send = (topic: string, key: string, value: unknown) =>
    producer.send({ topic, messages: [{ key, value: typeof value === 'string' ? value : JSON.stringify(value) }] });

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('applies activity once however often it is delivered, and dead-letters a poison message without stalling', async () => {
    const profile = (await api.createProfile({})).body;
    const id = profile.profile_id;
    await send(topics.activity, id, { org: 'kafka-org', event_id: 'e-1', profile_id: id, traits: { visits: 1, pages: ['/a'] } });
    await send(topics.activity, id, '{not json');
    await send(topics.activity, id, { org: 'kafka-org', event_id: 'e-1', profile_id: id, traits: { visits: 1, pages: ['/a'] } });
    await send(topics.activity, id, { org: 'kafka-org', event_id: 'e-2', profile_id: id, traits: { visits: 1, pages: ['/b'] } });
    await send(topics.activity, id, { org: 'kafka-org', event_id: 'e-3', profile_id: id, traits: { undefined_attr: 1 } });
    await send(topics.activity, id, { org: 'kafka-org', event_id: 'e-4', anonymous_profile_tracker: profile.anonymous_profile_tracker, traits: { visits: 1 } });

    const read = await eventually(
      () => api.getProfile(id),
      (res) => res.body?.traits?.visits === 3,
      'three distinct visits',
    );
    expect(read.body.traits).toEqual({ visits: 3, pages: ['/a', '/b'] });
    const letters = await eventually(async () => deadLetters, (l) => l.length >= 2, 'two dead letters');
    expect(letters.map((l) => l.reason.code).sort()).toEqual(['invalid_attributes', 'malformed_json']);
    expect(letters.find((l) => l.reason.code === 'malformed_json')?.value).toBe('{not json');
  });

  it('signs users in from the identity topic and addresses their profile by user_id', async () => {
    const a = (await api.createProfile({ traits: { pages: ['/from-a'] } })).body;
    const b = (await api.createProfile({ traits: { pages: ['/from-b'] } })).body;
    await send(topics.identity, 'u-9', { org: 'kafka-org', event_id: 's-1', event: 'AUTHENTICATION_SUCCESS', user_id: 'u-9', anonymous_profile_tracker: a.anonymous_profile_tracker });
    await eventually(() => api.getProfile(a.profile_id), (res) => res.body?.user_id === 'u-9', 'first sign-in');
    await send(topics.identity, 'u-9', { org: 'kafka-org', event_id: 's-2', user_id: 'u-9', anonymous_profile_tracker: b.anonymous_profile_tracker });
    await send(topics.activity, 'u-9', { org: 'kafka-org', event_id: 'after-sign-in', user_id: 'u-9', traits: { pages: ['/signed-in'] } });
    const merged = await eventually(
      () => api.getProfile(a.profile_id),
      (res) => (res.body?.traits?.pages ?? []).length === 3,
      'both devices and the later activity on one profile',
    );
    // The two topics are consumed side by side: the later activity may meet the merge either way round.
    expect([...merged.body.traits.pages].sort()).toEqual(['/from-a', '/from-b', '/signed-in']);
    expect(merged.body.merged_from.map((m: { profile_id: string }) => m.profile_id)).toEqual([b.profile_id]);
  });
});
