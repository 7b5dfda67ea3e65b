/**
 * The EventStore port on EventStoreDB / KurrentDB (gRPC, client v6, server 22.6 or later).
 *
 * The server already has the port's semantics for appends: optimistic concurrency on the
 * stream revision and idempotent retries recognised by event id. Reads of $all and the
 * subscription add what the port asks on top: `after` is exclusive, system events are never
 * returned, and filters are exact (see esdb-filter). Positions are commit positions; why one
 * number is enough is explained in esdb-event-conversion.
 */
import { BACKWARDS, END, FORWARDS, START, type ReadRevision, type ResolvedEvent } from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type LogPosition,
  type LogSubscription,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from '@cds/application';
import { createEsdbClient, readToArray, type EsdbClient } from './esdb-client';
import { actualRevisionOf, isMissingStream, toEventStoreError, type AppendContext } from './esdb-errors';
import {
  positionOf,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEventData,
  toLogPosition,
  toRecordedEvent,
} from './esdb-event-conversion';
import { acceptsEvent, effectiveFilter, subscriptionFilter, type EffectiveFilter } from './esdb-filter';
import { EsdbLogSubscription, type EsdbLogger, type ResubscribeSettings } from './esdb-subscription';
import { validateAppend } from './esdb-validation';

export interface EsdbEventStoreOptions {
  /** Receives dropped/resumed subscription notices. Silent when absent. */
  logger?: EsdbLogger;
  /** Backoff for resubscribing after a dropped subscription. */
  resubscribe?: Partial<ResubscribeSettings>;
  /** Events read per request when paging through $all. Default 512. */
  readAllPageSize?: number;
}

const DEFAULT_PAGE_SIZE = 512;
/** headPosition reads this many events back per request while it skips system events. */
const HEAD_PAGE_SIZE = 32;

export class EsdbEventStore implements EventStore {
  private closing: Promise<void> | undefined;
  private readonly subscriptions = new Set<EsdbLogSubscription>();
  private readonly pageSize: number;

  constructor(
    private readonly client: EsdbClient,
    private readonly options: EsdbEventStoreOptions = {},
  ) {
    this.pageSize = Math.max(2, Math.floor(options.readAllPageSize ?? DEFAULT_PAGE_SIZE));
  }

  /**
   * Validates the connection string (InvalidEsdbConnectionStringError names what is wrong) and
   * creates the client. The connection itself opens with the first call.
   */
  static async connect(connectionString: string, options: EsdbEventStoreOptions = {}): Promise<EsdbEventStore> {
    return new EsdbEventStore(createEsdbClient(connectionString), options);
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(streamId, events, expected);
    if (events.length === 0) return this.checkWithoutWriting(streamId, expected);

    const context: AppendContext = { streamId, expected, eventCount: events.length };
    let result;
    try {
      result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toEsdbExpectedRevision(expected),
      });
    } catch (error) {
      throw toEventStoreError(error, context);
    }
    // Only with throwOnAppendFailure=false, which the connection string check refuses.
    if (!result.success) {
      throw new WrongExpectedRevisionError(streamId, expected, actualRevisionOf(result.nextExpectedRevision));
    }
    const nextRevision = Number(result.nextExpectedRevision);
    // A recognised retry may come back without a position (servers answer "no position" when
    // they could not look up where the original write went); then ask the stream.
    const position = usablePosition(result.position) ?? (await this.positionOfRevision(streamId, nextRevision));
    return { nextRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (!(maxCount > 0)) return [];
    let fromRevision: ReadRevision;
    if (options.fromRevision === undefined) fromRevision = backwards ? END : START;
    else if (options.fromRevision < 0) {
      if (backwards) return [];
      fromRevision = START;
    } else fromRevision = BigInt(Math.floor(options.fromRevision));

    const resolved = await this.readStreamEvents(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision,
      maxCount: Math.floor(maxCount),
    });
    return resolved.flatMap((item) => (item.event ? [toRecordedEvent(item.event)] : []));
  }

  /**
   * Pages forward through $all from `after`. The server reads from a position inclusively, so
   * the event at exactly `after` comes back first and is skipped. Filtering happens here (the
   * v6 client cannot send a read filter), so a sparse filter may read many pages.
   */
  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = checkedPosition(options.after, 'after');
    const maxCount = Math.floor(options.maxCount);
    if (!(maxCount > 0)) return [];
    const filter = effectiveFilter(options.filter);
    const unfiltered = !filter.streamPrefixes && !filter.eventTypes;
    // Unfiltered, one page with room for the skipped event and a few system events usually does.
    const pageSize = unfiltered ? Math.min(this.pageSize, maxCount + 8) : this.pageSize;

    const found: RecordedEvent[] = [];
    let cursor = after;
    for (;;) {
      const page = await this.readAllPage(cursor, pageSize);
      for (const item of page) {
        const event = item.event;
        if (!event) continue;
        const position = positionOf(event);
        if (cursor !== undefined && position <= cursor) continue;
        cursor = position;
        if (!acceptsEvent(filter, event)) continue;
        found.push(toRecordedEvent(event));
        if (found.length === maxCount) return found;
      }
      if (page.length < pageSize) return found;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): LogSubscription {
    this.assertOpen();
    const after = checkedPosition(options.after, 'after');
    const filter = effectiveFilter(options.filter);
    const serverFilter = subscriptionFilter(filter);
    const subscription = new EsdbLogSubscription({
      after,
      // Subscription positions are exclusive on the server: this resumes right after `from`.
      open: (from) =>
        this.client.subscribeToAll({
          fromPosition: from === undefined ? START : toEsdbPosition(from),
          filter: serverFilter,
        }),
      accept: (event) => acceptsEvent(filter, event),
      logger: this.options.logger,
      resubscribe: this.options.resubscribe,
      onClosed: (closed) => this.subscriptions.delete(closed),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The last non-system event of $all: read backwards from the end until one turns up. */
  async headPosition(): Promise<LogPosition | null> {
    this.assertOpen();
    let from: LogPosition | undefined;
    for (;;) {
      const page = await this.readAllPage(from, HEAD_PAGE_SIZE, 'backwards');
      for (const item of page) {
        if (!item.event) continue;
        if (acceptsEvent(NO_FILTER, item.event)) return positionOf(item.event);
        from = positionOf(item.event);
      }
      if (page.length < HEAD_PAGE_SIZE) return null;
    }
  }

  /** Ends the subscriptions, then cancels the client's calls. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
      await this.client.dispose();
    })();
    return this.closing;
  }

  /**
   * An append of no events only checks the expected revision. Sent to the server it would write
   * an empty commit record to the log; a read answers the same question without writing.
   */
  private async checkWithoutWriting(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    const lastRevision = last ? last.revision : -1;
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && lastRevision < 0) ||
      (expected === 'stream_exists' && lastRevision >= 0) ||
      expected === lastRevision;
    if (!matches) throw new WrongExpectedRevisionError(streamId, expected, last ? last.revision : 'no_stream');
    return last ? { nextRevision: last.revision, position: last.position } : { nextRevision: -1, position: 0 };
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<LogPosition> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event || event.revision !== revision) {
      throw new Error(`EventStoreDB accepted an append to ${streamId} but has no event at revision ${revision}`);
    }
    return event.position;
  }

  private async readStreamEvents(
    streamId: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: ReadRevision; maxCount: number },
  ): Promise<ResolvedEvent[]> {
    try {
      return await readToArray(this.client.readStream(streamId, options));
    } catch (error) {
      if (isMissingStream(error)) return [];
      throw toEventStoreError(error);
    }
  }

  /** One request's worth of $all: forwards from `from` (inclusive), backwards from before it. */
  private async readAllPage(from: LogPosition | undefined, maxCount: number, direction: 'forwards' | 'backwards' = 'forwards') {
    const backwards = direction === 'backwards';
    try {
      return await readToArray(
        this.client.readAll({
          direction: backwards ? BACKWARDS : FORWARDS,
          fromPosition: from === undefined ? (backwards ? END : START) : toEsdbPosition(from),
          maxCount,
        }),
      );
    } catch (error) {
      throw toEventStoreError(error);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreUnavailableError('The EventStoreDB event store is closed');
  }
}

const NO_FILTER: EffectiveFilter = {};

/**
 * A position from the caller: one this store handed out. The server accepts only positions
 * where a record starts (anything else is refused as an invalid position), so numbers that
 * were not handed out by a read, an append or headPosition are not meaningful here.
 */
function checkedPosition(position: LogPosition | undefined, name: string): LogPosition | undefined {
  if (position === undefined || position === null) return undefined;
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new TypeError(`${name} must be a log position (a non-negative integer), got ${String(position)}`);
  }
  return position;
}

/** The append's position, unless the server sent none or an impossible one. */
function usablePosition(position: { commit: bigint; prepare: bigint } | undefined): LogPosition | undefined {
  if (!position) return undefined;
  try {
    return toLogPosition(position);
  } catch {
    return undefined;
  }
}
