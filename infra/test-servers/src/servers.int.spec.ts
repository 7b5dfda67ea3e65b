/**
 * Proves the servers started by run-with-servers are real and reachable with the same client
 * libraries the application uses. Run with:
 *   node dist/infra/test-servers/src/run-with-servers.js npx jest --selectProjects int infra/
 */
import { EventStoreDBClient, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { MongoClient, MongoServerError } from 'mongodb';
import { testServersFromEnv } from './env';

const servers = testServersFromEnv();

describe('test servers', () => {
  it('kafka: produces and consumes through a consumer group on a new topic', async () => {
    const kafka = new Kafka({
      clientId: 'servers-int-spec',
      brokers: [servers.kafkaBrokers],
      logLevel: logLevel.WARN,
    });
    const topic = `servers-int-${randomUUID()}`;
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `group-${randomUUID()}` });
    try {
      await admin.connect();
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })).toBe(true);

      await producer.connect();
      await producer.send({ topic, messages: ['one', 'two', 'three'].map((value) => ({ key: 'k', value })) });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only got ${JSON.stringify(received)}`)), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push(message.value!.toString());
            if (received.length === 3) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      expect(received).toEqual(['one', 'two', 'three']);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('mongo: insert, find, upsert and a unique index that rejects duplicates', async () => {
    const client = new MongoClient(servers.mongoUrl);
    try {
      type Profile = { _id: string; email: string; visits?: number };
      const collection = client.db(`servers_int_${Date.now()}`).collection<Profile>('profiles');
      await collection.createIndex({ email: 1 }, { unique: true });
      await collection.insertOne({ _id: 'p1', email: 'ada@example.com' });
      expect(await collection.findOne({ _id: 'p1' })).toEqual({ _id: 'p1', email: 'ada@example.com' });

      const upserted = await collection.updateOne(
        { _id: 'p2' },
        { $set: { email: 'bob@example.com' }, $inc: { visits: 1 } },
        { upsert: true },
      );
      expect(upserted.upsertedId).toBe('p2');
      await collection.updateOne({ _id: 'p2' }, { $inc: { visits: 1 } }, { upsert: true });
      expect(await collection.findOne({ _id: 'p2' })).toEqual({ _id: 'p2', email: 'bob@example.com', visits: 2 });

      const duplicate = await collection
        .insertOne({ _id: 'p3', email: 'ada@example.com' })
        .catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(MongoServerError);
      expect((duplicate as MongoServerError).code).toBe(11000);
    } finally {
      await client.close();
    }
  });

  it('esdb: appends and reads back through the official client', async () => {
    const client = EventStoreDBClient.connectionString(servers.esdbUrl);
    try {
      const stream = `servers-int-${randomUUID()}`;
      const event = jsonEvent({ type: 'Checked', data: { ok: true } });
      await client.appendToStream(stream, event, { expectedRevision: NO_STREAM });
      const read = [];
      for await (const resolved of client.readStream(stream)) read.push(resolved.event);
      expect(read).toEqual([
        expect.objectContaining({ id: event.id, type: 'Checked', data: { ok: true }, revision: 0n }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});
