import { StreamEvent } from '@cds/domain';
import { ReadStreamOptions, RecordedEvent } from '../ports/event-store.port';
import { decodeProfileEvent } from '../streams/event-codec';

export interface ProfileHistoriesOptions {
  /** Most events kept in memory across every history (least recently used histories leave first). */
  maxEvents: number;
  /** Most histories of profiles that have absorbed nothing yet, followed from their first event. */
  maxFresh?: number;
  /** A profile that absorbed nothing in this many events is no longer followed for a merge to come. */
  maxFreshEvents?: number;
}

type ReadStream = (streamId: string, options?: ReadStreamOptions) => Promise<RecordedEvent[]>;

const DEFAULT_MAX_FRESH = 500;
const DEFAULT_MAX_FRESH_EVENTS = 16;

/**
 * The decoded events of profile streams a unifier may have to refold whole (an unmerge refolds
 * the survivor's stream from its first event), kept in memory as the unifier follows the log, so
 * an unmerge on a long stream does not read and open its history again.
 *
 * What is kept is always a prefix of the stream (a stream only grows, and an event never changes):
 * a followed event extends a history only when it is the next revision, and a read asks the log
 * for whatever came after the prefix. Histories of profiles that absorbed another (the ones an
 * unmerge can split) are kept, least recently used leaving first, within `maxEvents`; new
 * profiles are followed from their first event (at most `maxFresh` of them, each until it has
 * `maxFreshEvents` events), so that a survivor's history is at hand from its first merge on (a
 * sign-in's permanent profile absorbs the device's right after it is created). An erased
 * profile's history is forgotten with it.
 */
export class ProfileHistories {
  /** Histories of profiles that absorbed another, least recently used first. */
  private readonly kept = new Map<string, StreamEvent[]>();
  /** Histories followed from their first event, of profiles that absorbed nothing yet, oldest first. */
  private readonly fresh = new Map<string, StreamEvent[]>();
  private events = 0;
  private readonly maxFresh: number;
  private readonly maxFreshEvents: number;

  constructor(private readonly options: ProfileHistoriesOptions) {
    this.maxFresh = options.maxFresh ?? DEFAULT_MAX_FRESH;
    this.maxFreshEvents = options.maxFreshEvents ?? DEFAULT_MAX_FRESH_EVENTS;
  }

  /** The log showed `recorded` (in log order): it extends the stream's history when it is the next event. */
  followed(recorded: RecordedEvent): void {
    if (this.options.maxEvents <= 0) return;
    const { streamId, revision } = recorded;
    const history = this.kept.get(streamId) ?? this.fresh.get(streamId);
    if (history === undefined ? revision !== 0 || this.maxFresh <= 0 : history[history.length - 1].revision !== revision - 1) return;
    let event: StreamEvent;
    try {
      event = decodedEvent(recorded);
    } catch {
      // Not a profile event this version knows: reads of the stream will say so.
      this.forget(streamId);
      return;
    }
    if (history === undefined) {
      this.keep(this.fresh, streamId, [event]);
      return;
    }
    history.push(event);
    this.events += 1;
    if (this.fresh.has(streamId) && recorded.type !== 'ProfilesMerged') {
      if (history.length > this.maxFreshEvents) this.forget(streamId);
      else this.trim(streamId);
      return;
    }
    // Absorbing a profile makes the history one an unmerge may need: it moves to (or within) the kept ones.
    this.fresh.delete(streamId);
    this.kept.delete(streamId);
    this.kept.set(streamId, history);
    this.trim(streamId);
  }

  /**
   * The stream's events from `from`, up to `upTo` (inclusive) when given: the kept prefix, and
   * from the log whatever follows it. A stream read whole that has absorbed a profile is kept.
   */
  async read(readStream: ReadStream, streamId: string, from: number, upTo: number | null): Promise<StreamEvent[]> {
    const known = this.kept.get(streamId) ?? this.fresh.get(streamId);
    const next = known === undefined ? 0 : known[known.length - 1].revision + 1;
    const wanted = upTo === null ? Number.POSITIVE_INFINITY : upTo;
    if (known !== undefined && wanted < next) return slice(known, from, wanted);
    if (known === undefined && from > 0) return (await readStream(streamId, readOptions(from, upTo))).map(decodedEvent);
    const tail = (await readStream(streamId, readOptions(next, upTo))).map(decodedEvent);
    const history = this.extend(streamId, known, tail);
    return slice(history, from, wanted);
  }

  /** Forgets a stream's history (after an erasure: what it held must not outlive its key). */
  forget(streamId: string): void {
    const history = this.kept.get(streamId) ?? this.fresh.get(streamId);
    if (history === undefined) return;
    this.kept.delete(streamId);
    this.fresh.delete(streamId);
    this.events -= history.length;
  }

  /** How many events are kept, across every history. */
  size(): number {
    return this.events;
  }

  /** `known` (what was kept when the read began) with the events read after it, kept when worth it. */
  private extend(streamId: string, known: StreamEvent[] | undefined, tail: StreamEvent[]): StreamEvent[] {
    const history = known === undefined ? tail : [...known, ...tail.filter((e) => e.revision > known[known.length - 1].revision)];
    if (this.options.maxEvents <= 0 || history.length === 0 || history[0].revision !== 0) return history;
    // Followed events may have extended the kept history while the read was under way: the longer one stays.
    const current = this.kept.get(streamId) ?? this.fresh.get(streamId);
    if (current !== undefined && current.length >= history.length) return history;
    const absorbed = this.kept.has(streamId) || history.some((e) => e.event.type === 'ProfilesMerged');
    if (current === undefined && !absorbed) return history;
    this.forget(streamId);
    this.keep(absorbed ? this.kept : this.fresh, streamId, history);
    return history;
  }

  private keep(into: Map<string, StreamEvent[]>, streamId: string, history: StreamEvent[]): void {
    into.set(streamId, history);
    this.events += history.length;
    this.trim(streamId);
  }

  /** Within bounds again: the oldest fresh histories leave first, then the least recently used kept ones. */
  private trim(touched: string): void {
    for (const streamId of this.fresh.keys()) {
      if (this.fresh.size <= this.maxFresh && this.events <= this.options.maxEvents) break;
      this.forget(streamId);
    }
    for (const streamId of this.kept.keys()) {
      if (this.events <= this.options.maxEvents) break;
      if (streamId !== touched) this.forget(streamId);
    }
    // One history larger than every bound is not kept at all.
    if (this.events > this.options.maxEvents) this.forget(touched);
  }

}

const decodedEvent = (recorded: RecordedEvent): StreamEvent => ({ revision: recorded.revision, event: decodeProfileEvent(recorded) });

function readOptions(from: number, upTo: number | null): ReadStreamOptions {
  return { ...(from > 0 ? { fromRevision: from } : {}), ...(upTo === null ? {} : { maxCount: Math.max(0, upTo - from + 1) }) };
}

/** The events of `history` (revisions 0, 1, 2…) from `from` up to `upTo`. */
function slice(history: StreamEvent[], from: number, upTo: number): StreamEvent[] {
  const start = history.length > 0 ? history[0].revision : 0;
  return history.slice(Math.max(0, from - start), upTo === Number.POSITIVE_INFINITY ? undefined : Math.max(0, upTo - start + 1));
}
