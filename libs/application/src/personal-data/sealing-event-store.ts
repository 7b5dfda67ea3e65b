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
import { SealedHere } from './sealed-here';
import { SubjectKeys, SubjectRef } from './subject-keys';

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
 * The event log as the rest of the service sees it, with personal data encrypted at rest per
 * subject (crypto-shredding): each profile event's personal fields are sealed with that profile's
 * data key on the way in, and opened on the way out. Once a profile's key is destroyed, every
 * event it sealed reads as its erasure (a `ProfileDeleted`), everywhere: folds, the projector,
 * replay, history, as-of and rebuilds all see the subject erased, from its first event on.
 * Other streams pass through as they are.
 */
export class SealingEventStore implements EventStore {
  private readonly sealedHere = new SealedHere();

  constructor(
    private readonly inner: EventStore,
    private readonly keys: SubjectKeys,
    /** Closed with the log (the key store, when this store owns it). */
    private readonly owned?: { close(): Promise<void> },
  ) {}

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const subject = subjectOf(streamId);
    const stored = subject ? await Promise.all(events.map((event) => this.seal(subject, event))) : events;
    return this.inner.append(streamId, stored, expected);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readStream(streamId, options));
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readAll(options));
  }

  subscribeToAll(options?: SubscribeOptions): LogSubscription {
    return new OpeningSubscription(this.inner.subscribeToAll(options), (events) => this.openAll(events));
  }

  headPosition(): Promise<LogPosition | null> {
    return this.inner.headPosition();
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.owned?.close();
  }

  private async seal(subject: SubjectRef, event: NewEvent): Promise<NewEvent> {
    const fields = PERSONAL_FIELDS[event.type];
    if (!fields || typeof event.data !== 'object' || event.data === null) return event;
    const clear: Record<string, unknown> = { ...(event.data as Record<string, unknown>) };
    const personal: Record<string, unknown> = {};
    for (const field of fields) {
      if (!(field in clear)) continue;
      personal[field] = clear[field];
      delete clear[field];
    }
    const sealed = await this.keys.seal(subject.tenant, subject.subject, personal);
    this.sealedHere.remember(sealed, personal);
    clear[SEALED] = sealed;
    return { ...event, data: clear };
  }

  /** Opens a page of events with one key lookup per subject. */
  private async openAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const sealed = events.filter(isSealed);
    if (sealed.length === 0) return events;
    const opener = await this.keys.openerFor(sealed.map((event) => subjectOf(event.streamId) as SubjectRef));
    return events.map((event) => {
      if (!isSealed(event)) return event;
      const { tenant, subject } = subjectOf(event.streamId) as SubjectRef;
      const { [SEALED]: payload, ...clear } = event.data as Record<string, unknown>;
      const opened = this.sealedHere.open<Record<string, unknown>>(opener, tenant, subject, payload as string);
      if (opened.status === 'erased') return erasure(event, subject);
      return { ...event, data: { ...clear, ...opened.value } };
    });
  }
}

/** An event whose subject was erased reads as the erasure itself. */
function erasure(event: RecordedEvent, profileId: string): RecordedEvent {
  return { ...event, type: 'ProfileDeleted', data: { profile_id: profileId, at: event.created } };
}

function subjectOf(streamId: string): SubjectRef | null {
  const parsed = parseStreamName(streamId);
  return parsed && parsed.category === CATEGORY.profile && parsed.key ? { tenant: parsed.tenant, subject: parsed.key } : null;
}

function isSealed(event: RecordedEvent): boolean {
  return typeof event.data === 'object' && event.data !== null && typeof (event.data as Record<string, unknown>)[SEALED] === 'string' && subjectOf(event.streamId) !== null;
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
