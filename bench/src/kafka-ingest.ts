import { Kafka, logLevel } from 'kafkajs';
import { BenchModule } from './bench-module';
import { log } from './measure';
import { bearer, BenchService, startService } from './service';
import { cpuTimeMs } from './wrk';

const ORG = 'bench-kafka';

/**
 * Activity from a real Kafka topic to the log: `messages` PATCH-like messages published up
 * front, then timed from the first to the last one appended (log head, via readiness).
 */
async function measureKafkaIngest(service: BenchService, brokers: string, topic: string, messages: number) {
  const auth = await bearer(service, ORG);
  const api = `/t/${ORG}/cds/api/v1`;
  await service.call('POST', `${api}/profile-schema/traits`, { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }, auth);
  const ids: string[] = [];
  for (let i = 0; i < 500; i++) ids.push((await service.call('POST', `${api}/profiles`, {}, auth)).body.profile_id);
  const head = async () => Number((await service.call('GET', '/health/ready')).body.log_head ?? 0);
  const startHead = await head();

  const kafka = new Kafka({ clientId: 'cds-bench', brokers: [brokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const start = process.hrtime.bigint();
  const cpuBefore = cpuTimeMs(service.pid);
  for (let sent = 0; sent < messages; sent += 1000) {
    const batch = Array.from({ length: Math.min(1000, messages - sent) }, (_, i) => {
      const id = ids[(sent + i) % ids.length];
      return { key: id, value: JSON.stringify({ org: ORG, event_id: `bench-${sent + i}`, profile_id: id, traits: { visits: 1 } }) };
    });
    await producer.send({ topic, messages: batch });
  }
  await producer.disconnect();
  const deadline = Date.now() + 600_000;
  while ((await head()) < startHead + messages) {
    if (Date.now() > deadline) throw new Error('Kafka ingest did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // Steadier than events/s on a shared machine: what one message costs the service.
  const cpuUsPerEvent = Math.round(((cpuTimeMs(service.pid) - cpuBefore) * 1000) / messages);
  return { messages, seconds: Math.round(seconds * 100) / 100, events_per_s: Math.round(messages / seconds), service_cpu_us_per_event: cpuUsPerEvent };
}

export const kafkaIngest: BenchModule = {
  name: 'kafka_ingest',
  async run(context) {
    const brokers = context.servers.kafkaBrokers;
    if (!brokers) throw new Error('no Kafka broker (run through npm run bench)');
    log(`Kafka ingest of ${context.flags.kafkaMessages} messages`);
    const topic = `bench-activity-${Date.now()}`;
    const service = await startService({ name: 'service-kafka', env: { CDS_KAFKA_BROKERS: brokers, CDS_KAFKA_ACTIVITY_TOPIC: topic, CDS_KAFKA_GROUP_ID: `bench-${Date.now()}` } });
    try {
      return await measureKafkaIngest(service, brokers, topic, context.flags.kafkaMessages);
    } finally {
      await service.stop();
    }
  },
  targets: (figures) => [{ name: 'Kafka activity ingest', measured: figures.events_per_s as number, target: 40_000, better: 'higher', unit: 'events/s' }],
};
