import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CheckpointUpdate, EventStore, ProfileDocument, ProfileProjector, ProfileReadModel, ProjectorStatus } from '@cds/application';

/** A lag past this many events is reported as this many: counting further would cost a long read per scrape. */
export const LAG_COUNT_CAP = 10_000;

/**
 * Prometheus metrics of a profile projector and of the log it follows, shared by the command API
 * (in-process projector) and the standalone projector app. Values are read from the projector's
 * status when scraped; batch sizes are observed as batches are written.
 */
export class ProjectorMetrics {
  private readonly logHead: Gauge;
  private readonly logUp: Gauge;
  private readonly position: Gauge<'projector'>;
  private readonly lag: Gauge<'projector'>;
  private readonly running: Gauge<'projector'>;
  private readonly eventsProjected: Counter<'projector'>;
  private readonly batchesWritten: Counter<'projector'>;
  private readonly deadLetters: Counter<'projector'>;
  private readonly batchSize: Histogram<'projector'>;
  private projector?: ProfileProjector;
  private store?: EventStore;
  private seen = { batches: 0, events: 0 };

  constructor(registry: Registry) {
    const registers = [registry];
    this.logHead = new Gauge({ name: 'cds_log_head_position', help: 'Position of the last event in the log (0 while it is empty)', registers });
    this.logUp = new Gauge({ name: 'cds_event_store_up', help: '1 when the event store answered the last scrape, else 0', registers });
    const labelNames = ['projector'] as const;
    this.position = new Gauge({ name: 'cds_projector_position', help: 'Log position the read model holds (0 before the first batch)', labelNames, registers });
    this.lag = new Gauge({
      name: 'cds_projector_lag_events',
      help: `Events in the log that the read model does not hold yet (saturates at ${LAG_COUNT_CAP})`,
      labelNames,
      registers,
    });
    this.running = new Gauge({ name: 'cds_projector_running', help: '1 while the projector follows the log, 0 once it stopped', labelNames, registers });
    this.eventsProjected = new Counter({ name: 'cds_projector_events_projected_total', help: 'Events folded into the read model', labelNames, registers });
    this.batchesWritten = new Counter({ name: 'cds_projector_batches_written_total', help: 'Batches written to the read model', labelNames, registers });
    this.deadLetters = new Counter({
      name: 'cds_projector_dead_letters_total',
      help: 'Events the projector could not fold and set aside',
      labelNames,
      registers,
    });
    this.batchSize = new Histogram({
      name: 'cds_projector_batch_size_events',
      help: 'Events per batch written to the read model',
      labelNames,
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
  }

  /** The projector to report on and the log it follows (bound once both exist). */
  bind(projector: ProfileProjector, store: EventStore): void {
    this.projector = projector;
    this.store = store;
    const status = projector.getStatus();
    this.seen = { batches: status.batchesWritten, events: status.eventsProjected };
  }

  /**
   * The read model as the projector should see it: before each batch is written, the previous
   * batch (exactly one, since a projector writes its batches one after another) is observed.
   * A proxy, so the read model keeps its class and every other method, whatever the port gains.
   */
  meterReadModel(readModel: ProfileReadModel): ProfileReadModel {
    return new Proxy(readModel, {
      get: (target, property) => {
        if (property !== 'applyBatch') {
          const value = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (documents: ProfileDocument[], checkpoint: CheckpointUpdate) => {
          this.observeBatches();
          return target.applyBatch(documents, checkpoint);
        };
      },
    });
  }

  /** Brings every metric up to date; called before each scrape. */
  async refresh(): Promise<void> {
    const projector = this.projector;
    if (!projector || !this.store) return;
    this.observeBatches();
    const status = projector.getStatus();
    const labels = { projector: status.name };
    this.position.set(labels, status.position ?? 0);
    this.running.set(labels, status.running ? 1 : 0);
    setCounter(this.eventsProjected, labels, status.eventsProjected);
    setCounter(this.batchesWritten, labels, status.batchesWritten);
    setCounter(this.deadLetters, labels, deadLetterCount(status));
    try {
      const head = await this.store.headPosition();
      this.logHead.set(head ?? 0);
      this.lag.set(labels, await countEventsAfter(this.store, status.position, head));
      this.logUp.set(1);
    } catch {
      this.logUp.set(0);
    }
  }

  private observeBatches(): void {
    if (!this.projector) return;
    const status = this.projector.getStatus();
    const batches = status.batchesWritten - this.seen.batches;
    const events = status.eventsProjected - this.seen.events;
    // A write that only moves the checkpoint holds no events. The projector writes one batch while
    // it folds the next, so a look may find several written since the last: each counts with
    // their average size.
    if (batches > 0 && events > 0) for (let i = 0; i < batches; i++) this.batchSize.observe({ projector: status.name }, events / batches);
    this.seen = { batches: status.batchesWritten, events: status.eventsProjected };
  }
}

/** How many events follow `position` in the log, up to LAG_COUNT_CAP; no read when caught up. */
export async function countEventsAfter(store: EventStore, position: number | null, head: number | null): Promise<number> {
  if (head === null || (position !== null && position >= head)) return 0;
  const events = await store.readAll({ after: position ?? undefined, maxCount: LAG_COUNT_CAP });
  return events.length;
}

/**
 * The dead-letter count, when the projector's status carries one. Read by shape, not by name in
 * the type, so the metric works with status versions that have it and reads 0 with those that do not.
 */
export function deadLetterCount(status: ProjectorStatus): number {
  const fields = status as unknown as Record<string, unknown>;
  for (const name of ['deadLetters', 'deadLettered', 'eventsDeadLettered', 'deadLetterCount']) {
    const value = fields[name];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (Array.isArray(value)) return value.length;
  }
  return 0;
}

/** Counters only go up; the projector keeps the running total, so the counter mirrors it. */
function setCounter(counter: Counter<'projector'>, labels: { projector: string }, total: number): void {
  counter.reset();
  counter.inc(labels, Math.max(0, total));
}
