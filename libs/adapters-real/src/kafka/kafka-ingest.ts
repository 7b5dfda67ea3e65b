import { ConfigResourceTypes, Consumer, EachBatchPayload, Kafka, logLevel, Producer } from 'kafkajs';
import { DeadLetter, deadLetterRecord } from './dead-letter';

export interface InboundMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
}

/** A message either changed something (or was a harmless repeat), or can never be applied. */
export type MessageOutcome = { kind: 'applied' } | { kind: 'rejected'; reason: DeadLetter['reason'] };

export interface KafkaIngestOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  /** How long the dead-letter topic keeps a message (it holds raw messages: personal data). */
  deadLetterRetentionMs?: number;
  /** Partitions handled at once; messages of one partition and key stay in order. */
  partitionsConsumedConcurrently?: number;
  /** Keys of one batch applied at once. */
  concurrency?: number;
  fromBeginning?: boolean;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * Consumes topics as a consumer group. A message's offset is committed only after its handler
 * resolved (the write is in the log); a handler that throws (infrastructure trouble) leaves the
 * offset uncommitted, so the message comes again. A message that can never be applied goes to
 * the dead-letter topic with its reason and the partition moves on.
 */
export class KafkaIngest {
  private constructor(
    private readonly consumer: Consumer,
    private readonly producer: Producer,
  ) {}

  /**
   * `handle` gets the messages of one key within a batch, in offset order, and answers with one
   * outcome each: one key's messages can be applied together (one append for one profile).
   */
  static async start(options: KafkaIngestOptions, handle: (messages: InboundMessage[]) => Promise<MessageOutcome[]>): Promise<KafkaIngest> {
    const log = options.log ?? (() => undefined);
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => log(entry.level === logLevel.ERROR ? 'error' : 'warn', entry.log.message),
    });
    await ensureTopics(kafka, [...options.topics, options.deadLetterTopic], options.deadLetterRetentionMs === undefined ? [] : [{ topic: options.deadLetterTopic, retentionMs: options.deadLetterRetentionMs }]);
    const producer = kafka.producer({ allowAutoTopicCreation: true, idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: true });
    await producer.connect();
    await consumer.connect();
    for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
    const ingest = new KafkaIngest(consumer, producer);

    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }: EachBatchPayload) => {
        const inbound = batch.messages.map(
          (message): InboundMessage => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value?.toString('utf8') ?? null,
          }),
        );
        // Messages of one key (one profile) stay in order and are handled together; different
        // keys go in parallel, so their appends share the log's group commit. A throw leaves the
        // batch unresolved and it comes again: event ids make the messages already applied harmless.
        const rejected: Array<{ message: InboundMessage; reason: DeadLetter['reason'] }> = [];
        await inParallel(groupByKey(inbound), options.concurrency ?? 64, async (messages) => {
          const outcomes = await handle(messages);
          outcomes.forEach((outcome, i) => {
            if (outcome.kind === 'rejected') rejected.push({ message: messages[i], reason: outcome.reason });
          });
        });
        // The batch's dead letters go out in one produce, before its offsets are committed.
        if (rejected.length > 0) {
          await producer.send({ topic: options.deadLetterTopic, messages: rejected.map(({ message, reason }) => deadLetterRecord(message, reason)) });
          for (const { message, reason } of rejected) log('warn', `dead-lettered ${message.topic}[${message.partition}]@${message.offset}: ${reason.code}`);
        }
        if (inbound.length > 0) resolveOffset(inbound[inbound.length - 1].offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      },
    });
    return ingest;
  }

  /** Finishes the messages in hand, commits their offsets, leaves the group. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}

/**
 * Creates the topics that do not exist yet and waits for their leaders, so a fresh cluster does
 * not fail the first subscription with "this server does not host this topic-partition".
 */
async function ensureTopics(kafka: Kafka, topics: string[], retention: Array<{ topic: string; retentionMs: number }>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
    const configEntries = (topic: string) => retention.filter((r) => r.topic === topic).map((r) => ({ name: 'retention.ms', value: String(r.retentionMs) }));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, configEntries: configEntries(topic) })), waitForLeaders: true });
    }
    // A topic made earlier (or by hand) gets the retention it is configured with too.
    const kept = retention.filter((r) => existing.has(r.topic));
    if (kept.length > 0) {
      await admin.alterConfigs({ validateOnly: false, resources: kept.map((r) => ({ type: ConfigResourceTypes.TOPIC, name: r.topic, configEntries: configEntries(r.topic) })) });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Messages by key, in offset order; a message without a key is a group of its own. */
function groupByKey(messages: InboundMessage[]): InboundMessage[][] {
  const groups = new Map<string, InboundMessage[]>();
  for (const message of messages) {
    const key = message.key ?? `offset:${message.offset}`;
    const group = groups.get(key);
    if (group) group.push(message);
    else groups.set(key, [message]);
  }
  return [...groups.values()];
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}
