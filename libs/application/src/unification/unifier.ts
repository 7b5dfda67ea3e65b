import { DomainError } from '@cds/domain';
import { CheckpointFencedError, CheckpointStore } from '../ports/checkpoint-store.port';
import { EventStore, EventStoreUnavailableError, LogPosition, LogSubscription, RecordedEvent } from '../ports/event-store.port';
import { profileRefOf } from '../projection/profile-fold';
import { decodeProfileEvent, UnreadableEventError } from '../streams/event-codec';
import { FollowedLog } from './followed-log';
import { EventUnification, unificationDeps, UnifierContext } from './unify-event';
import { KeyedLanes } from '../streams/keyed-lanes';
import { ReadAhead } from '../processing/read-ahead';
import { ownsTenant, partitionName, UnifierPartition } from './unifier-partition';

export interface UnifierOptions {
  partition: UnifierPartition;
  /**
   * Only these tenants, from `after` on when there is no checkpoint yet (one-off runs and tests on
   * a shared log); the checkpoint is named after `name`.
   */
  only?: { name: string; tenants: readonly string[]; after?: LogPosition };
  /** How often the checkpoint is written to the log (it is also written on stop). */
  checkpointEveryMs?: number;
  /** The token of the lease this instance holds its partition by (real stack); saves under an older one are refused. */
  fencingToken?: () => number;
  /** Events whose writes may be under way at once before the unifier stops reading ahead. */
  maxEventsInFlight?: number;
  onError?: (error: unknown) => void;
}

export interface UnifierStatus {
  partition: string;
  running: boolean;
  /** Every event up to here has been unified (its claims and merges are in the log). */
  unifiedUpTo: LogPosition | null;
  checkpoint: LogPosition | null;
  eventsInFlight: number;
  /** Events it could not act on and passed over (each reported when it happened). */
  eventsPassedOver: number;
  lastError: string | null;
}


/** Events read ahead of the decisions (their streams loaded meanwhile). */
const READ_AHEAD = 64;
const RETRY_MS = 200;
const MAX_ATTEMPTS_PER_EVENT = 5;
const NEVER: Promise<unknown> = new Promise(() => undefined);

/** Another instance took over this partition (its checkpoint moved under us): this one stops. */
export class UnifierSupersededError extends Error {
  constructor(partition: string) {
    super(`Unifier ${partition} was taken over by another instance`);
    this.name = 'UnifierSupersededError';
  }
}

/**
 * The only writer of merges and claims for its tenants. It follows the log from its checkpoint,
 * decides for each profile event, in log order, on the current state of the log, and carries the
 * decisions out idempotently (so events after a crash are simply decided again). Decisions
 * touching a stream wait for the writes already under way on it; the rest overlap.
 */
export class Unifier {
  private subscription?: LogSubscription;
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly lanes = new KeyedLanes();
  private readonly unification: EventUnification;
  private readonly log: FollowedLog;
  private readonly inFlight: Array<{ position: LogPosition; done: boolean; settled: Promise<void> }> = [];
  private readonly waiters = new Set<{ position: LogPosition; resolve: (reached: boolean) => void }>();
  private unifiedUpTo: LogPosition | null = null;
  private checkpoint: LogPosition | null = null;
  private running = false;
  private stopping = false;
  private superseded = false;
  private lastError: string | null = null;
  private skipped = 0;
  private readonly name: string;
  private readonly checkpointName: string;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    context: UnifierContext,
    private readonly options: UnifierOptions,
  ) {
    // Its reads go through what its subscription showed it: most catch-up reads need no round trip.
    this.log = new FollowedLog(store);
    this.unification = new EventUnification(unificationDeps(this.log, context), this.lanes);
    this.name = unifierName(options);
    this.checkpointName = unifierCheckpointName(options);
  }

  async start(): Promise<void> {
    this.checkpoint = (await this.checkpoints.load(this.checkpointName)) ?? this.options.only?.after ?? null;
    this.unifiedUpTo = this.checkpoint;
    this.stopping = false;
    this.running = true;
    // Every event, not only profile ones: "unified up to" then follows the log's head, so a wait
    // for any position (the head, a schema change) ends.
    this.subscription = this.store.subscribeToAll({ after: this.checkpoint ?? undefined });
    this.loop = this.follow(this.subscription).catch((error) => this.fail(error));
    this.timer = setInterval(() => void this.writeCheckpoint().catch((error) => this.fail(error)), this.options.checkpointEveryMs ?? 1000);
    this.timer.unref();
  }

  /**
   * Stops reading and lets the writes under way finish. `handover` (the default) then records how
   * far it got; `lost` (its lease is gone, another instance may hold the partition already)
   * records nothing: the checkpoint is the new holder's.
   */
  async stop(how: 'handover' | 'lost' = 'handover'): Promise<void> {
    this.stopping = true;
    if (how === 'lost') this.superseded = true;
    clearInterval(this.timer);
    await this.subscription?.close();
    await this.loop;
    await this.lanes.drain();
    this.advance();
    if (!this.superseded) await this.writeCheckpoint().catch((error) => this.fail(error));
    this.running = false;
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
  }

  status(): UnifierStatus {
    return {
      partition: this.name,
      running: this.running,
      unifiedUpTo: this.unifiedUpTo,
      checkpoint: this.checkpoint,
      eventsInFlight: this.inFlight.length,
      eventsPassedOver: this.skipped,
      lastError: this.lastError,
    };
  }

  /** Resolves true once every event up to `position` is unified, false after the timeout. */
  waitFor(position: LogPosition, timeoutMs: number): Promise<boolean> {
    if (this.unifiedUpTo !== null && this.unifiedUpTo >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve };
      this.waiters.add(waiter);
      setTimeout(() => {
        if (this.waiters.delete(waiter)) resolve(false);
      }, timeoutMs).unref();
    });
  }

  private async follow(subscription: LogSubscription): Promise<void> {
    const arrivals = new ReadAhead(this.prefetching(subscription[Symbol.asyncIterator]()), READ_AHEAD);
    for (;;) {
      const next = await arrivals.next();
      if (next.done || this.stopping) break;
      const recorded = next.value;
      const { writes } = await this.decideUntilDone(recorded);
      const entry = { position: recorded.position, done: false, settled: Promise.resolve() };
      entry.settled = writes.then(() => {
        entry.done = true;
        this.advance();
      });
      this.inFlight.push(entry);
      while (this.inFlight.length >= (this.options.maxEventsInFlight ?? 2000) && !this.stopping) await this.inFlight[0].settled;
    }
  }

  /**
   * Events as they arrive, ahead of the decisions: the log's knowledge moves on with each, and
   * the streams the decision will read are loaded meanwhile, so decisions, taken one at a time,
   * rarely wait for a read.
   */
  private prefetching(events: AsyncIterator<RecordedEvent>): AsyncIterator<RecordedEvent> {
    return {
      next: async () => {
        const next = await events.next();
        if (!next.done) {
          this.log.observe(next.value);
          const ref = profileRefOf(next.value);
          if (ref && this.owns(ref.tenant)) this.unification.prefetch(ref.tenant, ref.profileId, next.value);
        }
        return next;
      },
    };
  }

  /**
   * Decides for one event; resolves to a promise that settles once its writes are done. A failure
   * (the log unreachable, say) is retried until it succeeds or the unifier stops: every step is
   * idempotent, so deciding the event again completes what was half done. Stopped, the event
   * never counts as done, so the next run decides it again.
   */
  private async decideUntilDone(recorded: RecordedEvent, failures = 0): Promise<{ writes: Promise<unknown> }> {
    const ref = profileRefOf(recorded);
    if (!ref || !this.owns(ref.tenant)) return { writes: Promise.resolve() };
    for (let attempt = failures; ; attempt++) {
      if (this.stopping) return { writes: NEVER };
      try {
        const { writes } = await this.unification.decide(ref.tenant, ref.profileId, decodeProfileEvent(recorded));
        return {
          writes: writes.catch(async (error: unknown) => {
            if (this.givesUp(error, recorded, attempt)) return undefined;
            await delay(RETRY_MS);
            return (await this.decideUntilDone(recorded, attempt + 1)).writes;
          }),
        };
      } catch (error) {
        if (this.givesUp(error, recorded, attempt)) return { writes: Promise.resolve() };
        await delay(RETRY_MS);
      }
    }
  }

  /**
   * Whether to pass over an event after a failure. An event that cannot be read, or that the
   * domain refuses to act on, fails the same way every time: it is reported and passed over (as
   * the projector sets it aside). A log that cannot be reached is waited for, however long.
   * Anything else is retried a few times, then reported and passed over.
   */
  private givesUp(error: unknown, recorded: RecordedEvent, attempt: number): boolean {
    this.fail(error);
    if (error instanceof EventStoreUnavailableError) return false;
    const permanent = error instanceof UnreadableEventError || error instanceof DomainError || attempt >= MAX_ATTEMPTS_PER_EVENT;
    if (permanent) {
      this.skipped += 1;
      this.options.onError?.(new Error(`Unifier ${this.name} passed over ${recorded.streamId}@${recorded.revision} (position ${recorded.position})`));
    }
    return permanent;
  }

  private advance(): void {
    while (this.inFlight.length > 0 && this.inFlight[0].done) this.unifiedUpTo = this.inFlight.shift()!.position;
    const reached = this.unifiedUpTo;
    if (reached === null) return;
    for (const waiter of this.waiters) {
      if (waiter.position <= reached) {
        this.waiters.delete(waiter);
        waiter.resolve(true);
      }
    }
  }

  private async writeCheckpoint(): Promise<void> {
    const position = this.unifiedUpTo;
    if (position === null || position === this.checkpoint) return;
    try {
      await this.checkpoints.save(this.checkpointName, position, this.options.fencingToken?.());
      this.checkpoint = position;
    } catch (error) {
      if (!(error instanceof CheckpointFencedError)) throw error;
      // A newer holder of this partition records its progress: the work is theirs now.
      this.superseded = true;
      this.stopping = true;
      void this.subscription?.close();
      throw new UnifierSupersededError(this.name);
    }
  }

  private owns(tenant: string): boolean {
    const only = this.options.only;
    return only ? only.tenants.includes(tenant) : ownsTenant(this.options.partition, tenant);
  }

  private fail(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.options.onError?.(error);
  }
}

const unifierName = (options: Pick<UnifierOptions, 'partition' | 'only'>): string => options.only?.name ?? partitionName(options.partition);

/** Where a unifier records how far it got: one checkpoint per partition (or per `only` run). */
export const unifierCheckpointName = (options: Pick<UnifierOptions, 'partition' | 'only'>): string => `unifier-${unifierName(options)}`;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
