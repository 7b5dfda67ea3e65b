/**
 * The emulator's in-memory storage: one global log ($all) plus an index per stream.
 * Everything is synchronous; Node's single thread makes each append atomic, and listeners
 * (subscriptions) are told about new events right after the append is committed.
 */
import { decideAppend, type StreamView } from './expected-revision';
import type { AppendResult, ExpectedRevision, ProposedEvent, RecordedEvent } from './types';

/**
 * Where the first event goes. Not 0 so that position {commit: 0, prepare: 0} always means
 * "before every event", as it does on a real server (whose log starts with system records).
 */
export const FIRST_POSITION = 1024n;

/** Fixed per-record overhead added to the payload size to get a byte-offset-like position. */
const RECORD_OVERHEAD = 128;

const TICKS_PER_MILLISECOND = 10_000n;

type Listener = () => void;

class Stream implements StreamView {
  readonly events: RecordedEvent[] = [];
  private readonly indexById = new Map<string, number>();

  get length(): number {
    return this.events.length;
  }

  idAt(index: number): string | undefined {
    return this.events[index]?.id;
  }

  indexOfId(id: string): number {
    return this.indexById.get(id) ?? -1;
  }

  push(event: RecordedEvent): void {
    // Keep the first occurrence: an idempotency check matches the earliest event with an id.
    if (!this.indexById.has(event.id)) this.indexById.set(event.id, this.events.length);
    this.events.push(event);
  }
}

const NO_EVENTS: readonly RecordedEvent[] = Object.freeze([]);

export class EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, Stream>();
  private readonly listeners = new Set<Listener>();
  private nextPosition = FIRST_POSITION;
  private lastCreated = 0n;

  append(streamId: string, expected: ExpectedRevision, proposed: readonly ProposedEvent[]): AppendResult {
    const stream = this.streams.get(streamId) ?? new Stream();
    const decision = decideAppend(
      stream,
      expected,
      proposed.map((event) => event.id),
    );
    const currentRevision = stream.length > 0 ? BigInt(stream.length - 1) : undefined;

    if (decision.kind === 'wrong_expected_version') {
      return { ok: false, currentRevision, expected };
    }
    if (decision.kind === 'idempotent') {
      const last = stream.events[decision.lastIndex];
      return { ok: true, currentRevision: last.revision, position: last.position };
    }
    if (proposed.length === 0) {
      return { ok: true, currentRevision, position: undefined };
    }

    this.streams.set(streamId, stream);
    const created = this.nextCreated();
    let last: RecordedEvent | undefined;
    for (const event of proposed) {
      last = { ...event, streamId, revision: BigInt(stream.length), position: this.nextPosition, created };
      stream.push(last);
      this.log.push(last);
      this.nextPosition += BigInt(RECORD_OVERHEAD + streamId.length + event.type.length) +
        BigInt(event.data.length + event.customMetadata.length);
    }
    this.notify();
    return { ok: true, currentRevision: last!.revision, position: last!.position };
  }

  /** Events of one stream in revision order, or undefined when the stream does not exist. */
  stream(streamId: string): readonly RecordedEvent[] | undefined {
    return this.streams.get(streamId)?.events;
  }

  /** Events of one stream, empty when it does not exist (yet): for subscriptions. */
  streamOrEmpty(streamId: string): readonly RecordedEvent[] {
    return this.streams.get(streamId)?.events ?? NO_EVENTS;
  }

  /** The global log in position order. Callers must not mutate it. */
  all(): readonly RecordedEvent[] {
    return this.log;
  }

  /** Position of the last event, or 0 when the log is empty. */
  lastPosition(): bigint {
    return this.log.length > 0 ? this.log[this.log.length - 1].position : 0n;
  }

  /** Index of the first event whose position is >= `position` (log length if none). */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.log[middle].position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Registers a callback run after every successful append that wrote events. */
  onAppended(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** "Now" in ticks, strictly increasing across appends so ordering by time is stable. */
  private nextCreated(): bigint {
    const now = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    this.lastCreated = now > this.lastCreated ? now : this.lastCreated + 1n;
    return this.lastCreated;
  }
}
