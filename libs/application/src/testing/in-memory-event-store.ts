import {
  AppendResult,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  LogFilter,
  LogPosition,
  LogSubscription,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  WrongExpectedRevisionError,
} from '../ports/event-store.port';
import { SerialSubscription, SUBSCRIPTION_DONE } from '../ports/serial-subscription';

/**
 * The event log in memory, for specs of the application layer: the same contract as the
 * embedded log and EventStoreDB (the event-store contract suite runs against it), no disk, no
 * server. Positions are 1-based ordinals. A retried append (same ids right after the expected
 * revision) succeeds without writing, as EventStoreDB's idempotent appends do.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly listeners = new Set<() => void>();
  private closed = false;

  /** Every stored event, in log order (a copy). */
  all(): RecordedEvent[] {
    return [...this.log];
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    await Promise.resolve();
    this.assertOpen();
    const stream = this.streams.get(streamId) ?? [];
    const last = stream.length - 1;
    const retry = this.retryOf(stream, events, expected);
    if (retry) return retry;
    const fits =
      expected === 'any' ||
      (expected === 'no_stream' && last === -1) ||
      (expected === 'stream_exists' && last >= 0) ||
      expected === last;
    if (!fits) throw new WrongExpectedRevisionError(streamId, expected, last < 0 ? 'no_stream' : last);
    if (events.length === 0) return { nextRevision: last, position: stream.length > 0 ? stream[last].position : 0 };
    const created = new Date().toISOString();
    for (const event of events) {
      const recorded: RecordedEvent = {
        id: event.id,
        streamId,
        revision: stream.length,
        position: this.log.length + 1,
        type: event.type,
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        metadata: JSON.parse(JSON.stringify(event.metadata)),
        created,
      };
      stream.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, stream);
    for (const listener of this.listeners) listener();
    return { nextRevision: stream.length - 1, position: this.log.length, written: true };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    await Promise.resolve();
    this.assertOpen();
    const stream = this.streams.get(streamId) ?? [];
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (options.direction === 'backwards') {
      const from = Math.min(options.fromRevision ?? stream.length - 1, stream.length - 1);
      const picked: RecordedEvent[] = [];
      for (let revision = from; revision >= 0 && picked.length < maxCount; revision--) picked.push(stream[revision]);
      return picked;
    }
    const from = Math.max(0, options.fromRevision ?? 0);
    return stream.slice(from, from + Math.min(maxCount, stream.length));
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    await Promise.resolve();
    this.assertOpen();
    return this.page(options.after, options.maxCount, options.filter);
  }

  subscribeToAll(options: SubscribeOptions = {}): LogSubscription {
    this.assertOpen();
    return new InMemorySubscription(this, options.after ?? 0, options.filter);
  }

  async headPosition(): Promise<LogPosition | null> {
    return this.log.length > 0 ? this.log.length : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const listener of this.listeners) listener();
  }

  /** Up to `maxCount` events after `after` that pass the filter. */
  page(after: LogPosition | undefined, maxCount: number, filter: LogFilter | undefined): RecordedEvent[] {
    const picked: RecordedEvent[] = [];
    for (let i = Math.max(0, after ?? 0); i < this.log.length && picked.length < maxCount; i++) {
      if (passes(this.log[i], filter)) picked.push(this.log[i]);
    }
    return picked;
  }

  /** Resolves on the next append or on close. */
  changed(): { promise: Promise<void>; cancel(): void } {
    let listener = () => undefined as void;
    const promise = new Promise<void>((resolve) => {
      listener = () => {
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
    return { promise, cancel: () => listener() };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private retryOf(stream: RecordedEvent[], events: NewEvent[], expected: ExpectedRevision): AppendResult | null {
    if (events.length === 0) return null;
    const start = typeof expected === 'number' ? expected + 1 : expected === 'no_stream' ? 0 : stream.findIndex((e) => e.id === events[0].id);
    if (start < 0 || start + events.length > stream.length) return null;
    if (!events.every((event, i) => stream[start + i].id === event.id)) return null;
    return { nextRevision: start + events.length - 1, position: stream[start + events.length - 1].position, written: false };
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The in-memory event store is closed');
  }
}

function passes(event: RecordedEvent, filter: LogFilter | undefined): boolean {
  const prefixes = filter?.streamPrefixes ?? [];
  const types = filter?.eventTypes ?? [];
  return (prefixes.length === 0 || prefixes.some((prefix) => event.streamId.startsWith(prefix))) && (types.length === 0 || types.includes(event.type));
}

class InMemorySubscription extends SerialSubscription {
  private waiting?: { cancel(): void };

  constructor(
    private readonly store: InMemoryEventStore,
    private cursor: LogPosition,
    private readonly filter: LogFilter | undefined,
  ) {
    super();
  }

  protected async pull(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed || this.store.isClosed) return SUBSCRIPTION_DONE;
      const change = this.store.changed();
      const [next] = this.store.page(this.cursor, 1, this.filter);
      if (next) {
        change.cancel();
        this.cursor = next.position;
        return { done: false, value: next };
      }
      this.waiting = change;
      await change.promise;
      this.waiting = undefined;
    }
  }

  protected release(): void {
    this.waiting?.cancel();
  }
}
