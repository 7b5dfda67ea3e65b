import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  LogSubscription,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  WrongExpectedRevisionError,
} from '../ports/event-store.port';

/** Streams whose last revision is remembered (least recently seen forgotten first). */
const STREAMS_REMEMBERED = 200_000;

/**
 * The log as the unifier reads it while it follows it. The unifier decides each event on the
 * log as it stood at that event (or later), and its subscription has shown it every event up to
 * there, so it knows each stream's last revision then: a catch-up read asking for revisions past
 * it has nothing to find and is answered at once, without a round trip to the server. What the
 * unifier appends moves its knowledge on; an append refused for its expected revision (someone
 * wrote after the event being decided) makes the next read of that stream a real one.
 *
 * Only forward reads from a revision (what folded streams ask) are answered this way; everything
 * else, and streams not seen since the unifier started, goes to the log.
 */
export class FollowedLog implements EventStore {
  private readonly lastRevision = new Map<string, number>();
  private readonly readAgain = new Set<string>();
  /** Catch-up reads under way, by stream: a read from a later revision waits for it instead of asking again. */
  private readonly reading = new Map<string, { from: number; events: Promise<RecordedEvent[]> }>();

  constructor(private readonly log: EventStore) {}

  /** The subscription delivered `event`: its stream has at least this revision. */
  observe(event: RecordedEvent): void {
    this.remember(event.streamId, event.revision);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision;
    const catchUp = from !== undefined && options.maxCount === undefined && (options.direction ?? 'forwards') === 'forwards';
    if (!catchUp) return this.log.readStream(streamId, options);
    const known = this.lastRevision.get(streamId);
    if (known !== undefined && from > known && !this.readAgain.has(streamId)) return [];
    const under = this.reading.get(streamId);
    if (under && under.from <= from && !this.readAgain.has(streamId)) return (await under.events).filter((event) => event.revision >= from);
    this.readAgain.delete(streamId);
    const events = this.log.readStream(streamId, options);
    const read = { from, events };
    this.reading.set(streamId, read);
    try {
      const found = await events;
      this.remember(streamId, found.length > 0 ? found[found.length - 1].revision : from - 1);
      return found;
    } finally {
      if (this.reading.get(streamId) === read) this.reading.delete(streamId);
    }
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.log.append(streamId, events, expected);
      this.remember(streamId, result.nextRevision);
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) this.readAgain.add(streamId);
      throw error;
    }
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.log.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): LogSubscription {
    return this.log.subscribeToAll(options);
  }

  headPosition() {
    return this.log.headPosition();
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private remember(streamId: string, revision: number): void {
    const known = this.lastRevision.get(streamId);
    if (known !== undefined) this.lastRevision.delete(streamId);
    this.lastRevision.set(streamId, Math.max(known ?? -1, revision));
    if (this.lastRevision.size > STREAMS_REMEMBERED) this.lastRevision.delete(this.lastRevision.keys().next().value as string);
  }
}
