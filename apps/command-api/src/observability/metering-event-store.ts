import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  LogPosition,
  LogSubscription,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  WrongExpectedRevisionError,
} from '@cds/application';
import { AppendOutcome, CdsMetrics } from './metrics';

/** The event store port, counting and timing appends on the way through; everything else passes. */
export class MeteringEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly metrics: Pick<CdsMetrics, 'appends' | 'appendDuration' | 'eventsAppended'>,
  ) {}

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const started = process.hrtime.bigint();
    let outcome: AppendOutcome = 'error';
    try {
      const result = await this.inner.append(streamId, events, expected);
      outcome = 'ok';
      for (const event of events) this.metrics.eventsAppended.inc({ event_type: event.type });
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) outcome = 'conflict';
      throw error;
    } finally {
      this.metrics.appends.inc({ outcome });
      this.metrics.appendDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): LogSubscription {
    return this.inner.subscribeToAll(options);
  }

  headPosition(): Promise<LogPosition | null> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
