/**
 * In-memory index of the log: four numbers per event (offset, stream, type, and the stream's
 * previous position) in typed arrays, and per stream its id and two numbers, never payloads:
 * about 20 bytes an event and 170 a stream, so memory stays modest for logs of millions of
 * events. A stream's positions are found by walking back from its last one, which costs a few
 * nanoseconds an event for the short streams profiles have. Positions are 1-based ordinals.
 *
 * Appends are indexed when they are accepted, before they are durable, so expected-revision
 * checks see every earlier accepted append. Readers only use positions up to the durable head,
 * which the store tracks; `offsetOf` is meaningful only there.
 */
import type { LogFilter } from '@cds/application';

type Column = Float64Array | Uint32Array;

/** A typed array that doubles when full: 8 or 4 bytes per event instead of a boxed JS array. */
class GrowableColumn<T extends Column> {
  private values: T;
  length = 0;

  constructor(
    private readonly create: (capacity: number) => T,
    initial?: T,
  ) {
    this.values = create(Math.max(1024, Math.ceil((initial?.length ?? 0) * 1.25)));
    if (initial !== undefined) {
      this.values.set(initial);
      this.length = initial.length;
    }
  }

  /** The first `length` values, without copying. */
  view(length: number): T {
    return this.values.subarray(0, length) as T;
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = this.create(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  get(index: number): number {
    return this.values[index];
  }

  set(index: number, value: number): void {
    this.values[index] = value;
  }
}

/**
 * Bounded map from (stream, event id) to revision for the most recently appended events, used to
 * recognise retried appends with expected revision 'any'. Older ids fall out, as they do in
 * EventStoreDB's own idempotency cache.
 */
class RecentIds {
  private readonly revisions = new Map<string, number>();
  /** Keys in insertion order, overwritten oldest first. (Taking the first key of a Map after
   * many deletions is slow: V8 walks the deleted slots.) */
  private readonly ring: Array<string | undefined>;
  private next = 0;

  constructor(capacity: number) {
    this.ring = new Array<string | undefined>(Math.max(0, capacity));
  }

  add(streamNumber: number, id: string, revision: number): void {
    if (this.ring.length === 0) return;
    const key = `${streamNumber}\u0000${id}`;
    // Keep the first occurrence: a retry matches the earliest event carrying the id.
    if (this.revisions.has(key)) return;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.revisions.delete(evicted);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.ring.length;
    this.revisions.set(key, revision);
  }

  get(streamNumber: number, id: string): number | undefined {
    return this.revisions.get(`${streamNumber}\u0000${id}`);
  }
}

export interface IndexedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly type: string;
}

/** The durable part of an index, as an index snapshot stores it. */
export interface IndexColumns {
  readonly offsets: Float64Array;
  readonly streamOf: Uint32Array;
  readonly typeOf: Uint32Array;
  /** Stream ids by stream number. */
  readonly streams: readonly string[];
  /** Event types by type number. */
  readonly types: readonly string[];
}

export class LogIndex {
  private readonly offsets: GrowableColumn<Float64Array>;
  private readonly streamOf: GrowableColumn<Uint32Array>;
  private readonly typeOf: GrowableColumn<Uint32Array>;
  /** The previous position of the same stream, 0 for a stream's first event. */
  private readonly previous = new GrowableColumn((n) => new Uint32Array(n));
  private readonly streams = new Map<string, number>();
  private readonly streamIds: string[] = [];
  /** By stream number: its last position, and how many events it has. */
  private readonly lastOfStream = new GrowableColumn((n) => new Uint32Array(n));
  private readonly countOfStream = new GrowableColumn((n) => new Uint32Array(n));
  private readonly types = new Map<string, number>();
  private readonly typeNames: string[] = [];
  private readonly recentIds: RecentIds;

  /** An empty index, or one restored from the columns of a snapshot. */
  constructor(idempotencyWindow: number, restored?: IndexColumns) {
    this.recentIds = new RecentIds(idempotencyWindow);
    this.offsets = new GrowableColumn((n) => new Float64Array(n), restored?.offsets);
    this.streamOf = new GrowableColumn((n) => new Uint32Array(n), restored?.streamOf);
    this.typeOf = new GrowableColumn((n) => new Uint32Array(n), restored?.typeOf);
    if (restored === undefined) return;
    for (const id of restored.streams) this.streamNumber(id);
    for (const type of restored.types) this.typeNumber(type);
    const streamOf = restored.streamOf;
    for (let i = 0; i < streamOf.length; i++) this.link(streamOf[i], i + 1);
  }

  /** The columns of positions 1..head, sharing memory with the index (copy before the next append). */
  columns(head: number): IndexColumns {
    return {
      offsets: this.offsets.view(head),
      streamOf: this.streamOf.view(head),
      typeOf: this.typeOf.view(head),
      streams: [...this.streamIds],
      types: [...this.typeNames],
    };
  }

  /** Remembers the id of an event already indexed, for retries with 'any' (oldest first). */
  rememberId(position: number, id: string): void {
    const streamNumber = this.streamOf.get(position - 1);
    let revision = this.countOfStream.get(streamNumber) - 1;
    for (let at = this.lastOfStream.get(streamNumber); at > position; at = this.previous.get(at - 1)) revision--;
    this.recentIds.add(streamNumber, id, revision);
  }

  /** Type of the event at a position. */
  typeAt(position: number): string {
    return this.typeNames[this.typeOf.get(position - 1)];
  }

  /** Last position handed out, durable or not (0 when the log is empty). */
  get lastPosition(): number {
    return this.offsets.length;
  }

  /** Indexes one event at the next position; `offset` is NaN until the writer places it. */
  add(event: IndexedEvent, offset = Number.NaN): { position: number; revision: number } {
    const streamNumber = this.streamNumber(event.streamId);
    const revision = this.countOfStream.get(streamNumber);
    this.offsets.push(offset);
    this.streamOf.push(streamNumber);
    this.typeOf.push(this.typeNumber(event.type));
    const position = this.offsets.length;
    this.link(streamNumber, position);
    this.recentIds.add(streamNumber, event.id, revision);
    return { position, revision };
  }

  setOffset(position: number, offset: number): void {
    this.offsets.set(position - 1, offset);
  }

  offsetOf(position: number): number {
    return this.offsets.get(position - 1);
  }

  /** Revision of the stream's last accepted event, or -1 when it has none. */
  lastRevision(streamId: string): number {
    const number = this.streams.get(streamId);
    return number === undefined ? -1 : this.countOfStream.get(number) - 1;
  }

  /** Positions of the stream's accepted events from revision `from` on, in revision order. */
  streamPositions(streamId: string, from = 0): number[] {
    const number = this.streams.get(streamId);
    if (number === undefined) return [];
    const count = this.countOfStream.get(number);
    const positions = new Array<number>(Math.max(0, count - from));
    for (let i = positions.length - 1, at = this.lastOfStream.get(number); i >= 0; i--, at = this.previous.get(at - 1)) positions[i] = at;
    return positions;
  }

  streamIdAt(position: number): string {
    return this.streamIds[this.streamOf.get(position - 1)];
  }

  /** Revision of a recent event of the stream with this id, if it is still remembered. */
  recentRevision(streamId: string, id: string): number | undefined {
    const number = this.streams.get(streamId);
    return number === undefined ? undefined : this.recentIds.get(number, id);
  }

  /**
   * Positions in (after, upTo] that pass the filter, at most `maxCount` of them, and how far the
   * search got: the last returned position when the page filled up, otherwise `upTo`.
   */
  scan(after: number, upTo: number, maxCount: number, filter: LogFilter | undefined): { positions: number[]; scannedTo: number } {
    const positions: number[] = [];
    const matches = this.matcher(filter);
    for (let position = after + 1; position <= upTo; position++) {
      if (!matches(position)) continue;
      positions.push(position);
      if (positions.length >= maxCount) return { positions, scannedTo: position };
    }
    return { positions, scannedTo: Math.max(after, upTo) };
  }

  private matcher(filter: LogFilter | undefined): (position: number) => boolean {
    const prefixes = filter?.streamPrefixes ?? [];
    const typeNames = filter?.eventTypes ?? [];
    if (prefixes.length === 0 && typeNames.length === 0) return () => true;

    const wantedTypes = new Set<number>();
    for (const name of typeNames) {
      const number = this.types.get(name);
      if (number !== undefined) wantedTypes.add(number);
    }
    // Streams are tested once per scan, not once per event.
    const streamVerdicts = new Map<number, boolean>();
    const streamMatches = (streamNumber: number): boolean => {
      let verdict = streamVerdicts.get(streamNumber);
      if (verdict === undefined) {
        const id = this.streamIds[streamNumber];
        verdict = prefixes.some((prefix) => id.startsWith(prefix));
        streamVerdicts.set(streamNumber, verdict);
      }
      return verdict;
    };
    return (position) =>
      (typeNames.length === 0 || wantedTypes.has(this.typeOf.get(position - 1))) &&
      (prefixes.length === 0 || streamMatches(this.streamOf.get(position - 1)));
  }

  /** Appends `position` to its stream's chain. */
  private link(streamNumber: number, position: number): void {
    this.previous.push(this.lastOfStream.get(streamNumber));
    this.lastOfStream.set(streamNumber, position);
    this.countOfStream.set(streamNumber, this.countOfStream.get(streamNumber) + 1);
  }

  private streamNumber(streamId: string): number {
    let number = this.streams.get(streamId);
    if (number === undefined) {
      number = this.streamIds.length;
      this.streamIds.push(streamId);
      this.streams.set(streamId, number);
      this.lastOfStream.push(0);
      this.countOfStream.push(0);
    }
    return number;
  }

  private typeNumber(type: string): number {
    let number = this.types.get(type);
    if (number === undefined) {
      number = this.typeNames.length;
      this.typeNames.push(type);
      this.types.set(type, number);
    }
    return number;
  }
}

/** How many of the ascending `positions` are at or below `head` (e.g. the durable ones). */
export function countUpTo(positions: readonly number[], head: number): number {
  let low = 0;
  let high = positions.length;
  if (high === 0 || positions[high - 1] <= head) return high;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle] <= head) low = middle + 1;
    else high = middle;
  }
  return low;
}
