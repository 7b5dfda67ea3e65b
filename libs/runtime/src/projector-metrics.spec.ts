import { Registry } from 'prom-client';
import { EventStore, ProfileProjector, ProfileReadModel, ProjectorStatus, RecordedEvent } from '@cds/application';
import { countEventsAfter, deadLetterCount, LAG_COUNT_CAP, ProjectorMetrics } from './projector-metrics';

/** Histogram samples carry the name of the series (bucket, sum, count) they belong to. */
type Named = { metricName?: string };

function fakeProjector(initial: Partial<ProjectorStatus> = {}) {
  const status: ProjectorStatus = { name: 'live', position: null, eventsProjected: 0, batchesWritten: 0, lastError: null, running: true, ...initial } as ProjectorStatus;
  return { status, projector: { getStatus: () => ({ ...status }) } as unknown as ProfileProjector };
}

function fakeStore(head: number | null, events = 0): EventStore & { readAll: jest.Mock; headPosition: jest.Mock } {
  return {
    headPosition: jest.fn().mockResolvedValue(head),
    readAll: jest.fn(async ({ maxCount }: { maxCount: number }) => Array.from({ length: Math.min(events, maxCount) }, () => ({}) as RecordedEvent)),
  } as unknown as EventStore & { readAll: jest.Mock; headPosition: jest.Mock };
}

async function value(registry: Registry, name: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => !('le' in v.labels) && ((v as Named).metricName === undefined || (v as Named).metricName === name))?.value;
}

describe('ProjectorMetrics', () => {
  it('reports position, head, lag, totals and running from the status at scrape time', async () => {
    const registry = new Registry();
    const metrics = new ProjectorMetrics(registry);
    const { projector } = fakeProjector({ position: 40, eventsProjected: 40, batchesWritten: 3 });
    const store = fakeStore(42, 2);
    metrics.bind(projector, store);
    await metrics.refresh();
    expect(await value(registry, 'cds_projector_position')).toBe(40);
    expect(await value(registry, 'cds_log_head_position')).toBe(42);
    expect(await value(registry, 'cds_projector_lag_events')).toBe(2);
    expect(store.readAll).toHaveBeenCalledWith({ after: 40, maxCount: LAG_COUNT_CAP });
    expect(await value(registry, 'cds_projector_events_projected_total')).toBe(40);
    expect(await value(registry, 'cds_projector_batches_written_total')).toBe(3);
    expect(await value(registry, 'cds_projector_running')).toBe(1);
    expect(await value(registry, 'cds_projector_dead_letters_total')).toBe(0);
    expect(await value(registry, 'cds_event_store_up')).toBe(1);
  });

  it('observes each batch size as the next batch reaches the read model, and skips checkpoint-only writes', async () => {
    const registry = new Registry();
    const metrics = new ProjectorMetrics(registry);
    const { status, projector } = fakeProjector();
    const applied: number[] = [];
    const readModel = metrics.meterReadModel({
      applyBatch: async (documents: unknown[]) => void applied.push(documents.length),
      checkpoint: async () => 5,
    } as unknown as ProfileReadModel);
    metrics.bind(projector, fakeStore(null));
    const batch = async (events: number) => {
      await readModel.applyBatch([], { name: 'live', expected: null, next: 1 });
      status.eventsProjected += events;
      status.batchesWritten += 1;
    };
    await batch(3);
    await batch(0);
    await batch(7);
    await metrics.refresh();
    expect(applied).toHaveLength(3);
    expect(await readModel.checkpoint('live')).toBe(5);
    const histogram = await registry.getSingleMetric('cds_projector_batch_size_events')!.get();
    const count = histogram.values.find((v) => (v as Named).metricName === 'cds_projector_batch_size_events_count')?.value;
    const sum = histogram.values.find((v) => (v as Named).metricName === 'cds_projector_batch_size_events_sum')?.value;
    expect({ count, sum }).toEqual({ count: 2, sum: 10 });
  });

  it('says the store is down when it cannot answer, and keeps the projector figures', async () => {
    const registry = new Registry();
    const metrics = new ProjectorMetrics(registry);
    const store = fakeStore(1);
    store.headPosition.mockRejectedValue(new Error('closed'));
    metrics.bind(fakeProjector({ running: false, position: 9 }).projector, store);
    await metrics.refresh();
    expect(await value(registry, 'cds_event_store_up')).toBe(0);
    expect(await value(registry, 'cds_projector_running')).toBe(0);
    expect(await value(registry, 'cds_projector_position')).toBe(9);
  });
});

describe('countEventsAfter', () => {
  it('reads nothing when the projector holds the head', async () => {
    const store = fakeStore(10, 0);
    expect(await countEventsAfter(store, 10, 10)).toBe(0);
    expect(await countEventsAfter(store, null, null)).toBe(0);
    expect(store.readAll).not.toHaveBeenCalled();
  });
  it('counts from the start before the first batch, up to the cap', async () => {
    const store = fakeStore(50_000, 50_000);
    expect(await countEventsAfter(store, null, 50_000)).toBe(LAG_COUNT_CAP);
    expect(store.readAll).toHaveBeenCalledWith({ after: undefined, maxCount: LAG_COUNT_CAP });
  });
});

describe('deadLetterCount', () => {
  it('reads the count from the status when it has one, else 0', () => {
    const base = fakeProjector().status;
    expect(deadLetterCount(base)).toBe(0);
    expect(deadLetterCount({ ...base, deadLetters: 4 } as ProjectorStatus)).toBe(4);
  });
});
