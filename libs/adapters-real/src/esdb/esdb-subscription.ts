/**
 * subscribeToAll for EventStoreDB: a catch-up subscription that survives being dropped.
 *
 * The server delivers $all in order, catch-up then live, on one gRPC call. That call can end:
 * the node restarts or loses leadership, the connection breaks, the server drops a subscriber
 * that fell too far behind. Then we resubscribe from the position of the last event we
 * received (subscription positions are exclusive on the server), so the consumer sees neither
 * a gap nor a repeat; events at or before that position are skipped as well, in case a server
 * ever sends one again. Only errors that can heal are retried, with exponential backoff and
 * with log lines at attempts 1, 2, 4, 8, ... so a long outage does not flood the log.
 *
 * Events are pulled one at a time when the consumer asks, so a slow consumer leaves the rest
 * in the client's stream buffer and the server's flow control, not in our memory.
 */
import type { AllStreamResolvedEvent } from '@eventstore/db-client';
import { SerialSubscription, SUBSCRIPTION_DONE } from '@cds/application';
import type { LogPosition, RecordedEvent } from '@cds/application';
import { isTransientEsdbError, toEventStoreError } from './esdb-errors';
import { positionOf, toRecordedEvent } from './esdb-event-conversion';

/** One server-side subscription, as `client.subscribeToAll` returns it. */
export interface SubscriptionHandle extends AsyncIterable<AllStreamResolvedEvent> {
  unsubscribe(): Promise<void>;
}

/** Where the adapter reports dropped and resumed subscriptions (Nest's Logger and console fit). */
export interface EsdbLogger {
  warn(message: string): void;
  log?(message: string): void;
}

export interface ResubscribeSettings {
  /** Wait before the first resubscription; doubles with each failed attempt. Default 100 ms. */
  initialDelayMs: number;
  /** Longest wait between attempts. Default 5 s. */
  maxDelayMs: number;
  /** A subscription that ran this long before it dropped starts the backoff over. Default 30 s. */
  stableAfterMs: number;
}

export const DEFAULT_RESUBSCRIBE: ResubscribeSettings = { initialDelayMs: 100, maxDelayMs: 5000, stableAfterMs: 30_000 };

export interface EsdbSubscriptionOptions {
  /** Exclusive start; absent: the start of the log. */
  after?: LogPosition;
  /** Opens a server subscription after `after` (exclusive), or from the start. */
  open(after: LogPosition | undefined): SubscriptionHandle;
  /** The exact filter: which received events the consumer gets. */
  accept(event: { streamId: string; type: string }): boolean;
  logger?: EsdbLogger;
  resubscribe?: Partial<ResubscribeSettings>;
  /** Called once, when the subscription has closed. */
  onClosed?(subscription: EsdbLogSubscription): void;
}

interface Attempt {
  readonly handle: SubscriptionHandle;
  readonly iterator: AsyncIterator<AllStreamResolvedEvent>;
  readonly openedAt: number;
}

const DONE = SUBSCRIPTION_DONE;
const CLOSED = Symbol('closed');

export class EsdbLogSubscription extends SerialSubscription {
  private cursor: LogPosition | undefined;
  private current: Attempt | undefined;
  private failures = 0;
  private wakeOnClose!: () => void;
  private readonly closedSignal = new Promise<typeof CLOSED>((resolve) => {
    this.wakeOnClose = () => resolve(CLOSED);
  });
  private readonly settings: ResubscribeSettings;

  constructor(private readonly options: EsdbSubscriptionOptions) {
    super();
    this.cursor = options.after;
    this.settings = { ...DEFAULT_RESUBSCRIBE, ...options.resubscribe };
  }

  /** The position of the last event received from the server (delivered or filtered out). */
  get position(): LogPosition | undefined {
    return this.cursor;
  }

  protected async release(): Promise<void> {
    this.wakeOnClose();
    const current = this.current;
    this.current = undefined;
    if (current) await discard(current);
    this.options.onClosed?.(this);
  }

  protected async pull(): Promise<IteratorResult<RecordedEvent>> {
    try {
      for (;;) {
        if (this.closed) return DONE;
        let attempt: Attempt | undefined;
        let step: IteratorResult<AllStreamResolvedEvent> | typeof CLOSED;
        try {
          attempt = this.current ?? this.open();
          step = await Promise.race([attempt.iterator.next(), this.closedSignal]);
        } catch (error) {
          if (this.closed) return DONE;
          await this.dropped(attempt, error);
          continue;
        }
        if (step === CLOSED || this.closed) return DONE;
        if (step.done) {
          // The server never ends a subscription on its own accord: an end we did not ask for is a drop.
          await this.dropped(attempt, undefined);
          continue;
        }
        const event = this.receive(step.value);
        if (event) return { done: false, value: event };
      }
    } catch (error) {
      // Not recoverable (refused access, an event we cannot read): end here, loudly.
      await this.close();
      throw error;
    }
  }

  private open(): Attempt {
    const handle = this.options.open(this.cursor);
    this.current = { handle, iterator: handle[Symbol.asyncIterator](), openedAt: Date.now() };
    return this.current;
  }

  /** Advances the cursor over a received event and returns it if the consumer wants it. */
  private receive(resolved: AllStreamResolvedEvent): RecordedEvent | undefined {
    // Without resolveLinkTos every message carries the event itself.
    const recorded = resolved.event;
    if (!recorded) return undefined;
    const position = positionOf(recorded);
    if (this.cursor !== undefined && position <= this.cursor) return undefined;
    this.cursor = position;
    if (this.failures > 0) {
      this.info(`EventStoreDB subscription to $all resumed after ${this.failures} attempt(s), at position ${position}`);
      this.failures = 0;
    }
    return this.options.accept(recorded) ? toRecordedEvent(recorded) : undefined;
  }

  /** Cleans up a dropped attempt, then waits before the next one; throws when retrying cannot help. */
  private async dropped(attempt: Attempt | undefined, error: unknown): Promise<void> {
    if (attempt) {
      if (this.current === attempt) this.current = undefined;
      await discard(attempt);
      if (Date.now() - attempt.openedAt >= this.settings.stableAfterMs) this.failures = 0;
    }
    if (error !== undefined && !isTransientEsdbError(error)) throw toEventStoreError(error);

    this.failures++;
    const { initialDelayMs, maxDelayMs } = this.settings;
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.failures - 1, 30));
    if ((this.failures & (this.failures - 1)) === 0) {
      const reason = error === undefined ? 'the server ended it' : describe(error);
      const from = this.cursor === undefined ? 'the start of the log' : `position ${this.cursor}`;
      this.options.logger?.warn(
        `EventStoreDB subscription to $all dropped (${reason}); resubscribing after ${from} ` +
          `in ${delay} ms (attempt ${this.failures})`,
      );
    }
    await this.pause(delay);
  }

  private info(message: string): void {
    const logger = this.options.logger;
    if (logger?.log) logger.log(message);
    else logger?.warn(message);
  }

  /** Waits, or less if the subscription closes meanwhile. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    try {
      await Promise.race([elapsed, this.closedSignal]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Cancels the server call and releases the client's stream; failures there change nothing. */
async function discard(attempt: Attempt): Promise<void> {
  await attempt.handle.unsubscribe().catch(() => undefined);
  // Ends the client's stream object; not awaited, as it may wait for a cancelled call to settle.
  void attempt.iterator.return?.()?.catch(() => undefined);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.constructor.name : String(error);
}
