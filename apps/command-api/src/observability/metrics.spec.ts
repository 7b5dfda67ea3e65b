import { EventStore, NewEvent, WrongExpectedRevisionError } from '@cds/application';
import type { InboundMessage, MessageOutcome } from '@cds/adapters-real';
import type { KafkaConfig } from '@cds/runtime';
import { meterIngest } from './ingest-metrics';
import { MeteringEventStore } from './metering-event-store';
import { CdsMetrics } from './metrics';

/** Histogram samples carry the name of the series (bucket, sum, count) they belong to. */
type Named = { metricName?: string };

const event = (type: string): NewEvent => ({ id: `${type}-1`, type, data: {}, metadata: { schema_version: 1, tenant: 't' } });

async function value(metrics: CdsMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l) && !('le' in v.labels))?.value;
}

describe('MeteringEventStore', () => {
  const inner = (append: EventStore['append']): EventStore =>
    ({
      append,
      readStream: jest.fn().mockResolvedValue([]),
      readAll: jest.fn().mockResolvedValue([]),
      subscribeToAll: jest.fn(),
      headPosition: jest.fn().mockResolvedValue(7),
      close: jest.fn().mockResolvedValue(undefined),
    }) as unknown as EventStore;

  it('counts appends, events by type and append latency', async () => {
    const metrics = new CdsMetrics();
    const store = new MeteringEventStore(inner(async () => ({ nextRevision: 1, position: 2 })), metrics);
    await expect(store.append('profile-1', [event('ProfileCreated'), event('AttributesPatched')], 'no_stream')).resolves.toEqual({ nextRevision: 1, position: 2 });
    await store.append('profile-1', [event('AttributesPatched')], 1);
    expect(await value(metrics, 'cds_event_store_appends_total', { outcome: 'ok' })).toBe(2);
    expect(await value(metrics, 'cds_events_appended_total', { event_type: 'AttributesPatched' })).toBe(2);
    expect(await value(metrics, 'cds_events_appended_total', { event_type: 'ProfileCreated' })).toBe(1);
    const histogram = await metrics.registry.getSingleMetric('cds_event_store_append_duration_seconds')!.get();
    expect(histogram.values.find((v) => (v as Named).metricName?.endsWith('_count') && v.labels.outcome === 'ok')?.value).toBe(2);
  });

  it('tells conflicts from other failures and passes the error on', async () => {
    const metrics = new CdsMetrics();
    const conflicting = new MeteringEventStore(inner(async () => Promise.reject(new WrongExpectedRevisionError('s', 0, 1))), metrics);
    const failing = new MeteringEventStore(inner(async () => Promise.reject(new Error('disk'))), metrics);
    await expect(conflicting.append('s', [event('X')], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(failing.append('s', [event('X')], 0)).rejects.toThrow('disk');
    expect(await value(metrics, 'cds_event_store_appends_total', { outcome: 'conflict' })).toBe(1);
    expect(await value(metrics, 'cds_event_store_appends_total', { outcome: 'error' })).toBe(1);
    expect(await value(metrics, 'cds_events_appended_total', { event_type: 'X' })).toBeUndefined();
  });

  it('passes every other call through', async () => {
    const base = inner(async () => ({ nextRevision: 0, position: 1 }));
    const store = new MeteringEventStore(base, new CdsMetrics());
    expect(await store.headPosition()).toBe(7);
    await store.readStream('s', { maxCount: 1 });
    expect(base.readStream).toHaveBeenCalledWith('s', { maxCount: 1 });
    await store.close();
    expect(base.close).toHaveBeenCalled();
  });
});

describe('meterIngest', () => {
  const message = (topic: string): InboundMessage => ({ topic, partition: 0, offset: '1', key: null, value: '{}' });
  const kafka = {} as KafkaConfig;

  it('counts Kafka messages applied, dead-lettered and failed, by topic', async () => {
    const metrics = new CdsMetrics();
    const outcomes: Array<MessageOutcome | Error> = [
      { kind: 'applied' },
      { kind: 'rejected', reason: { code: 'invalid_message', message: 'no' } },
      new Error('log unavailable'),
    ];
    const service = {
      handle: jest.fn(async (_kafka: KafkaConfig, _messages: InboundMessage[]): Promise<MessageOutcome[]> => {
        const next = outcomes.shift()!;
        if (next instanceof Error) throw next;
        return [next];
      }),
    };
    meterIngest(service, metrics);
    await service.handle(kafka, [message('cds.activity')]);
    await service.handle(kafka, [message('cds.activity')]);
    await expect(service.handle(kafka, [message('cds.identity')])).rejects.toThrow('log unavailable');
    expect(await value(metrics, 'cds_kafka_messages_total', { topic: 'cds.activity', outcome: 'applied' })).toBe(1);
    expect(await value(metrics, 'cds_kafka_messages_total', { topic: 'cds.activity', outcome: 'dead_lettered' })).toBe(1);
    expect(await value(metrics, 'cds_kafka_messages_total', { topic: 'cds.identity', outcome: 'error' })).toBe(1);
  });
});
