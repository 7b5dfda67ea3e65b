import { AppendResult, EventStore, ExpectedRevision, LogPosition, NewEvent, RecordedEvent } from '../ports/event-store.port';
import { KeyedLanes } from './keyed-lanes';

/** A stream folded into a state, and how far: the command side's view of one stream. */
export interface FoldedStream<S> {
  readonly streamId: string;
  readonly state: S;
  /** Revision of the last event folded in; null when the stream does not exist. */
  readonly revision: number | null;
  /** Log position of the last event folded in; null when the stream does not exist. */
  readonly lastPosition: LogPosition | null;
}

/** How a stream's stored events fold into the state the command side decides on. */
export interface StreamFold<S> {
  initialState(streamId: string): S;
  /** Folds one stored event (decoded inside, so the fold may also use its position). */
  evolve(state: S, recorded: RecordedEvent): S;
  /** How much a folded state weighs in the cache (1 when omitted): large states leave sooner. */
  weigh?(state: S): number;
  /** Turns a decided event into what is stored (e.g. sealing personal data); as decided when omitted. */
  encode?(streamId: string, event: DecidedEvent): Promise<DecidedEvent>;
}

export interface DecidedEvent {
  type: string;
  data: unknown;
}

export interface FoldedStreamsOptions {
  /** Most weight kept folded in memory (least recently used streams leave first). */
  maxWeight: number;
}

/**
 * Streams folded for deciding, kept in memory by recent use. A load reads only the events
 * appended since the cached revision (from any process), so a command on a long stream costs
 * its new events, not its whole history; after an append the cache folds exactly what this
 * process appended (random or keyed event ids never collide with another writer's).
 */
export class FoldedStreams<S> {
  private readonly cache = new Map<string, { folded: FoldedStream<S>; weight: number }>();
  private weight = 0;
  /** Writers of this process that lost a race for a stream, in line to try again one at a time. */
  private readonly retries = new KeyedLanes();

  constructor(
    private readonly store: EventStore,
    private readonly fold: StreamFold<S>,
    private readonly options: FoldedStreamsOptions,
  ) {}

  async load(streamId: string): Promise<FoldedStream<S>> {
    const base = this.cache.get(streamId)?.folded ?? this.empty(streamId);
    const fresh = await this.store.readStream(streamId, { fromRevision: base.revision === null ? 0 : base.revision + 1 });
    const loaded = this.foldIn(base, fresh);
    this.remember(loaded);
    return loaded;
  }

  /**
   * Appends with the revision the decision was made on: if anyone wrote in between, the store
   * refuses with WrongExpectedRevisionError and the caller decides again on fresh state.
   * `mayBeStoredAlready`: the ids could match an append made before (keyed ids); the store then
   * answers success without writing, so the stream is read back rather than assumed, unless the
   * store said it wrote these very events.
   */
  async append(
    folded: FoldedStream<S>,
    events: NewEvent[],
    options: { expected?: ExpectedRevision; mayBeStoredAlready?: boolean } = {},
  ): Promise<{ folded: FoldedStream<S>; result: AppendResult }> {
    const result = await this.store.append(folded.streamId, events, options.expected ?? folded.revision ?? 'no_stream');
    if (options.mayBeStoredAlready && result.written !== true) return { folded: await this.load(folded.streamId), result };
    const first = result.nextRevision - events.length + 1;
    const recorded: RecordedEvent[] = events.map((event, i) => ({
      ...event,
      streamId: folded.streamId,
      revision: first + i,
      // One append commits as a unit: its events share the commit position.
      position: result.position,
      created: '',
    }));
    const appended = first === (folded.revision ?? -1) + 1 ? this.foldIn(folded, recorded) : await this.load(folded.streamId);
    this.remember(appended);
    return { folded: appended, result };
  }

  async encode(streamId: string, events: DecidedEvent[]): Promise<DecidedEvent[]> {
    const encode = this.fold.encode;
    return encode ? Promise.all(events.map((event) => encode(streamId, event))) : events;
  }

  /**
   * The log showed `recorded` (a subscription, in log order). When this process holds the stream
   * folded up to the event before it, or it is the stream's first event, it is folded in at once,
   * so the next load of the stream has nothing left to read. Otherwise nothing happens: a load
   * reads it. An event the fold refuses leaves the stream to be loaded (and to fail) as usual.
   */
  followed(recorded: RecordedEvent): void {
    const cached = this.cache.get(recorded.streamId)?.folded;
    const base = cached ?? (recorded.revision === 0 ? this.empty(recorded.streamId) : undefined);
    if (base === undefined || (base.revision ?? -1) !== recorded.revision - 1) return;
    try {
      this.remember(this.foldIn(base, [recorded]));
    } catch {
      this.forget(recorded.streamId);
    }
  }

  /**
   * Runs a retry of a write that lost the race for the stream once the retries before it on that
   * stream are done: losers then meet only writers that have not collided yet, instead of all
   * colliding again with each other.
   */
  retryInLine<T>(streamId: string, retry: () => Promise<T>): Promise<T> {
    return this.retries.schedule([streamId], retry);
  }

  /** Forgets a stream (after it was erased, or to bound memory in tests). */
  forget(streamId: string): void {
    const entry = this.cache.get(streamId);
    if (!entry) return;
    this.cache.delete(streamId);
    this.weight -= entry.weight;
  }

  private empty(streamId: string): FoldedStream<S> {
    return { streamId, state: this.fold.initialState(streamId), revision: null, lastPosition: null };
  }

  private foldIn(base: FoldedStream<S>, recorded: RecordedEvent[]): FoldedStream<S> {
    if (recorded.length === 0) return base;
    let state = base.state;
    for (const event of recorded) state = this.fold.evolve(state, event);
    const last = recorded[recorded.length - 1];
    return { streamId: base.streamId, state, revision: last.revision, lastPosition: last.position };
  }

  private remember(folded: FoldedStream<S>): void {
    if (folded.revision === null || this.options.maxWeight <= 0) return;
    const cached = this.cache.get(folded.streamId);
    // Concurrent loads may finish out of order: never step the cache back.
    if (cached && (cached.folded.revision ?? -1) > folded.revision) return;
    if (cached) {
      this.cache.delete(folded.streamId);
      this.weight -= cached.weight;
    }
    const weight = this.fold.weigh?.(folded.state) ?? 1;
    this.cache.set(folded.streamId, { folded, weight });
    this.weight += weight;
    for (const [streamId, entry] of this.cache) {
      if (this.weight <= this.options.maxWeight || streamId === folded.streamId) break;
      this.cache.delete(streamId);
      this.weight -= entry.weight;
    }
  }
}
