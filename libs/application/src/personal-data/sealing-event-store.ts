import { setOwnValue } from '@cds/domain';
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
} from '../ports/event-store.port';
import { SerialSubscription, SUBSCRIPTION_DONE } from '../ports/serial-subscription';
import { CATEGORY, parseStreamName } from '../streams/stream-names';
import { PayloadOpeningPool, PooledOpening } from './opening-pool';
import { PageReadAhead } from './page-read-ahead';
import { SealedHere } from './sealed-here';
import { OpenedPayload, SubjectKeys, SubjectRef } from './subject-keys';

/**
 * The fields of each profile event that hold personal data: attribute values, snapshots of a
 * profile, trackers and user ids. Everything else (ids, times, reasons, rules, idempotency keys)
 * stays clear, so the log can still be routed, indexed and audited without any key.
 */
const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ProfileCreated: ['anonymous_profile_tracker'],
  AttributePatched: ['writes'],
  UserStamped: ['user_id'],
  ProfilesMerged: ['merged'],
  ProfileUnmerged: ['survivor'],
  ProfileRestored: ['restored'],
  TrackerReleased: ['tracker'],
};

/** Where the sealed fields of a stored event are; never a field of a domain event. */
const SEALED = 'sealed';

/**
 * Pages with at least this many sealed events (a rebuild's, a catch-up's) are opened on a worker
 * thread, so that a reader folding one page while it reads the next has the deciphering done on
 * another core. Smaller reads (a profile's stream, a live event) are opened where they are read.
 */
const POOLED_PAGE = 128;
/**
 * A stream read (an unmerge's refold of a long history) is waited for with nothing else to do:
 * this share of its payloads is opened where it is read while the pool opens the rest, so both
 * cores decipher. Opening inline costs the reader about three times what handing over does.
 */
const INLINE_SHARE_OF_A_STREAM = 0.3;

interface SealedEvent {
  readonly index: number;
  readonly ref: SubjectRef;
  readonly sealed: string;
  /** Its data as stored: the clear fields and the sealed ones. */
  readonly stored: Record<string, unknown>;
}

/**
 * The event log as the rest of the service sees it, with personal data encrypted at rest per
 * subject (crypto-shredding): each profile event's personal fields are sealed with that profile's
 * data key on the way in, and opened on the way out. Once a profile's key is destroyed, every
 * event it sealed reads as its erasure (a `ProfileDeleted`), everywhere: folds, the projector,
 * replay, history, as-of and rebuilds all see the subject erased, from its first event on.
 * Other streams pass through as they are.
 */
export class SealingEventStore implements EventStore {
  /** Opens large pages on another thread; made when the first one is read. */
  private pool?: PayloadOpeningPool;
  private readonly pages: PageReadAhead;
  private readonly sealedHere = new SealedHere();

  constructor(
    private readonly inner: EventStore,
    private readonly keys: SubjectKeys,
    /** Closed with the log (the key store, when this store owns it). */
    private readonly owned?: { close(): Promise<void> },
  ) {
    this.pages = new PageReadAhead(inner, (events) => this.openAll(events));
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const subject = subjectOf(streamId);
    const stored = subject ? await Promise.all(events.map((event) => this.seal(subject, event))) : events;
    return this.inner.append(streamId, stored, expected);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readStream(streamId, options), INLINE_SHARE_OF_A_STREAM);
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.pages.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): LogSubscription {
    return new OpeningSubscription(this.inner.subscribeToAll(options), (events) => this.openAll(events));
  }

  headPosition(): Promise<LogPosition | null> {
    return this.inner.headPosition();
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.pool?.close();
    await this.owned?.close();
  }

  private async seal(subject: SubjectRef, event: NewEvent): Promise<NewEvent> {
    const fields = PERSONAL_FIELDS[event.type];
    if (!fields || typeof event.data !== 'object' || event.data === null) return event;
    const data = event.data as Record<string, unknown>;
    const clear: Record<string, unknown> = {};
    const personal: Record<string, unknown> = {};
    for (const key of Object.keys(data)) setOwnValue(fields.includes(key) ? personal : clear, key, data[key]);
    const sealed = await this.keys.seal(subject.tenant, subject.subject, personal);
    this.sealedHere.remember(sealed, personal);
    clear[SEALED] = sealed;
    return { ...event, data: clear };
  }

  /** Opens a page of events with one key lookup per subject; `inlineShare` of a pooled page is opened here meanwhile. */
  private async openAll(events: RecordedEvent[], inlineShare = 0): Promise<RecordedEvent[]> {
    const sealed = sealedEventsOf(events);
    if (sealed.length === 0) return events;
    const results = this.countNotSealedHere(sealed) >= POOLED_PAGE ? await this.openShared(sealed, inlineShare) : await this.openInline(sealed);
    const opened = events.slice();
    sealed.forEach(({ index, ref, stored }, i) => {
      const result = results[i];
      opened[index] = result.status === 'open' ? withData(events[index], joined(stored, result.value as Record<string, unknown>)) : erasure(events[index], ref.subject);
    });
    return opened;
  }

  private async openInline(sealed: SealedEvent[]): Promise<OpenedPayload[]> {
    const opener = await this.keys.openerFor(sealed.map(({ ref }) => ref));
    return sealed.map(({ ref, sealed: payload }) => this.sealedHere.open(opener, ref.tenant, ref.subject, payload));
  }

  /** Payloads this process sealed lately open inline without a decipher; only the others count for the pool. */
  private countNotSealedHere(sealed: SealedEvent[]): number {
    let count = 0;
    for (const { sealed: payload } of sealed) if (!this.sealedHere.knows(payload)) count += 1;
    return count;
  }

  /** The first part on the pool's thread, the last `inlineShare` here once the pool has its part. */
  private async openShared(sealed: SealedEvent[], inlineShare: number): Promise<OpenedPayload[]> {
    const here = Math.floor(sealed.length * inlineShare);
    const pooling = await this.handOverToPool(here === 0 ? sealed : sealed.slice(0, sealed.length - here));
    const opened = here === 0 ? [] : await this.openInline(sealed.slice(sealed.length - here));
    return [...(await pooling.opened), ...opened];
  }

  /**
   * To the pool's thread; resolves once the thread has the page. A payload the pool could not
   * open is opened here again, for the error an inline read gives; a pool that failed (its thread
   * died) is dropped, and the page opened here.
   */
  private async handOverToPool(sealed: SealedEvent[]): Promise<{ opened: Promise<OpenedPayload[]> }> {
    const pool = (this.pool ??= new PayloadOpeningPool(this.keys));
    const dropPool = () => {
      if (this.pool === pool) this.pool = undefined;
      void pool.close();
      return this.openInline(sealed);
    };
    let handed: { opened: Promise<PooledOpening[]> };
    try {
      handed = await pool.handOver(sealed.map(({ ref, sealed: payload }) => ({ tenant: ref.tenant, subject: ref.subject, sealed: payload })));
    } catch {
      return { opened: dropPool() };
    }
    const opened = handed.opened.then(
      async (pooled) => {
        const failed = sealed.filter((_, i) => pooled[i].status === 'unreadable');
        const reopened = failed.length > 0 ? await this.openInline(failed) : [];
        return pooled.map((result) => (result.status === 'unreadable' ? (reopened.shift() as OpenedPayload) : result));
      },
      () => dropPool(),
    );
    return { opened };
  }
}

/** The sealed events of a page, with where they are and whose they are. */
function sealedEventsOf(events: RecordedEvent[]): SealedEvent[] {
  const sealed: SealedEvent[] = [];
  const refs = new Map<string, SubjectRef | null>();
  events.forEach((event, index) => {
    const data = event.data as Record<string, unknown> | null;
    if (typeof data !== 'object' || data === null || typeof data[SEALED] !== 'string') return;
    let ref = refs.get(event.streamId);
    if (ref === undefined) refs.set(event.streamId, (ref = subjectOf(event.streamId)));
    if (ref === null) return;
    sealed.push({ index, ref, sealed: data[SEALED] as string, stored: data });
  });
  return sealed;
}

/**
 * A stored event's data with its sealed fields opened: the clear fields first, then the opened
 * ones, as the event was written. Built key by key rather than spread: spreads of these objects,
 * whose shapes vary by event type, left a hidden class per event.
 */
function joined(stored: Record<string, unknown>, opened: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(stored)) if (key !== SEALED) setOwnValue(data, key, stored[key]);
  for (const key of Object.keys(opened)) setOwnValue(data, key, opened[key]);
  return data;
}

function withData(event: RecordedEvent, data: unknown, type = event.type): RecordedEvent {
  const { streamId, revision, position, id, metadata, created } = event;
  return { streamId, revision, position, type, id, data, metadata, created };
}

/** An event whose subject was erased reads as the erasure itself. */
function erasure(event: RecordedEvent, profileId: string): RecordedEvent {
  return withData(event, { profile_id: profileId, at: event.created }, 'ProfileDeleted');
}

function subjectOf(streamId: string): SubjectRef | null {
  const parsed = parseStreamName(streamId);
  return parsed && parsed.category === CATEGORY.profile && parsed.key ? { tenant: parsed.tenant, subject: parsed.key } : null;
}

/** A subscription whose events are opened one page at a time as the consumer pulls them. */
class OpeningSubscription extends SerialSubscription {
  private buffered: RecordedEvent[] = [];
  private readonly events: AsyncIterator<RecordedEvent>;

  constructor(
    private readonly inner: LogSubscription,
    private readonly openAll: (events: RecordedEvent[]) => Promise<RecordedEvent[]>,
  ) {
    super();
    this.events = inner[Symbol.asyncIterator]();
  }

  protected async pull(): Promise<IteratorResult<RecordedEvent>> {
    if (this.buffered.length === 0) {
      const next = await this.events.next();
      if (next.done || this.closed) return SUBSCRIPTION_DONE;
      this.buffered = await this.openAll([next.value]);
    }
    return { done: false, value: this.buffered.shift() as RecordedEvent };
  }

  protected release(): Promise<void> {
    return this.inner.close();
  }
}
