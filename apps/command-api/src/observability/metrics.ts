import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { ProjectorMetrics } from '@cds/runtime';

/** DI token of the app's metrics. */
export const CDS_METRICS = Symbol('CdsMetrics');

const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type AppendOutcome = 'ok' | 'conflict' | 'error';
export type IngestOutcome = 'applied' | 'dead_lettered' | 'error';

/**
 * Every metric of one command API instance, in a registry of its own: tests start several apps
 * in one process, and each must count only its own traffic.
 */
export class CdsMetrics {
  readonly registry = new Registry();
  readonly projector = new ProjectorMetrics(this.registry);
  private readonly registers = [this.registry];

  readonly httpRequests = new Counter({
    name: 'cds_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers: this.registers,
  });
  readonly httpDuration = new Histogram({
    name: 'cds_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: LATENCY_BUCKETS,
    registers: this.registers,
  });
  readonly appends = new Counter({
    name: 'cds_event_store_appends_total',
    help: 'Appends to the event log, by outcome (ok, conflict: wrong expected revision, error)',
    labelNames: ['outcome'] as const,
    registers: this.registers,
  });
  readonly appendDuration = new Histogram({
    name: 'cds_event_store_append_duration_seconds',
    help: 'Time an append to the event log takes, by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: this.registers,
  });
  readonly eventsAppended = new Counter({
    name: 'cds_events_appended_total',
    help: 'Events appended to the log, by event type',
    labelNames: ['event_type'] as const,
    registers: this.registers,
  });
  readonly kafkaMessages = new Counter({
    name: 'cds_kafka_messages_total',
    help: 'Kafka messages handled, by topic and outcome (applied, dead_lettered, error: left for redelivery)',
    labelNames: ['topic', 'outcome'] as const,
    registers: this.registers,
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition format, with the projector's figures read just now. */
  async render(): Promise<string> {
    await this.projector.refresh();
    return this.registry.metrics();
  }
}
