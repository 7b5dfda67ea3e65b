import { EventStore, LogPosition, LogSubscription, RecordedEvent } from '../ports/event-store.port';
import { ProfileDocument, ProfileReadModel } from '../ports/read-model.port';
import { DeadLetter, ProjectionDeadLetters } from '../operations/dead-letters.port';
import { CATEGORY } from '../streams/stream-names';
import { documentKey, foldIntoDocument, profileRefOf } from './profile-fold';

/** What a projector does with an event it cannot fold: set it aside and go on, or stop there. */
export type PoisonPolicy = 'skip' | 'halt';

export interface ProjectorOptions {
  /** Checkpoint name; a rebuild uses its own. */
  name: string;
  /** Most events folded into one read-model write. */
  batchSize: number;
  /** How long to wait for more events before writing a partial batch. */
  idleFlushMs: number;
  onError?: (error: unknown, event?: RecordedEvent) => void;
  /** Where events that cannot be folded are recorded (event, error, position). */
  deadLetters?: ProjectionDeadLetters;
  /** `skip` (default): record the event and carry on. `halt`: record it and stop before it. */
  onPoison?: PoisonPolicy;
  /** Time source for dead letters and rates. */
  now?: () => Date;
}

export interface ProjectorStatus {
  name: string;
  position: LogPosition | null;
  eventsProjected: number;
  batchesWritten: number;
  lastError: string | null;
  running: boolean;
  /** Events set aside in the dead-letter store of the read model it writes to. */
  deadLetters: number;
  lastDeadLetter: DeadLetter | null;
  /** Stopped at an event it could not fold (onPoison: halt). */
  halted: boolean;
  /** Events folded per second over the last few seconds. */
  eventsPerSecond: number;
}

/** An event the projector cannot fold, when told to halt on one. */
export class PoisonEventError extends Error {
  constructor(readonly letter: DeadLetter) {
    super(`Projector ${letter.projector} halted at ${letter.stream}@${letter.revision} (position ${letter.position}): ${letter.error}`);
    this.name = 'PoisonEventError';
  }
}

export interface CatchUpProgress {
  position: LogPosition | null;
  head: LogPosition | null;
  eventsProjected: number;
}

const IDLE = Symbol('idle');
const RATE_WINDOW_MS = 10_000;
const PROFILE_STREAMS = { streamPrefixes: [`${CATEGORY.profile}-`] };

/**
 * Folds the log into unified-profile documents, in log order, from its checkpoint. Each batch
 * reads the documents it touches, folds with the domain's evolve (skipping events a document
 * already holds), writes them position-guarded, then moves the checkpoint by compare-and-set.
 * An event that cannot be folded is recorded as a dead letter and skipped, or halts the projector.
 */
export class ProfileProjector {
  private subscription?: LogSubscription;
  private loop?: Promise<void>;
  private readonly deadLetters?: ProjectionDeadLetters;
  private readonly waiters = new Set<{ position: LogPosition; resolve: () => void }>();
  private readonly status: ProjectorStatus;
  private readonly samples: Array<{ at: number; events: number }> = [];
  private readonly now: () => Date;

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ProfileReadModel,
    private readonly options: ProjectorOptions,
  ) {
    this.deadLetters = options.deadLetters;
    this.now = options.now ?? (() => new Date());
    this.status = {
      name: options.name,
      position: null,
      eventsProjected: 0,
      batchesWritten: 0,
      lastError: null,
      running: false,
      deadLetters: 0,
      lastDeadLetter: null,
      halted: false,
      eventsPerSecond: 0,
    };
  }

  async start(): Promise<void> {
    await this.loadDeadLetterStatus();
    this.status.position = await this.readModel.checkpoint(this.options.name);
    this.status.halted = false;
    this.subscription = this.store.subscribeToAll({ after: this.status.position ?? undefined });
    this.status.running = true;
    this.loop = this.run(this.subscription)
      .catch((error) => this.fail(error))
      .finally(() => {
        this.status.running = false;
      });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
    this.subscription = undefined;
    this.loop = undefined;
  }

  getStatus(): ProjectorStatus {
    return { ...this.status, eventsPerSecond: this.rate() };
  }

  /** Resolves true once events up to `position` are in the read model, false after the timeout. */
  waitFor(position: LogPosition, timeoutMs: number): Promise<boolean> {
    if ((this.status.position ?? 0) >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve: () => resolve(true) };
      this.waiters.add(waiter);
      setTimeout(() => {
        if (this.waiters.delete(waiter)) resolve(false);
      }, timeoutMs).unref();
    });
  }

  /**
   * Folds the log up to its head by reading pages (no subscription), then returns the position
   * the checkpoint reached: the rebuild's way of catching up. Only profile streams are read;
   * once a read comes back short, everything up to the head seen before it is in, and the
   * checkpoint moves there. The next page is read while the current one is written.
   */
  async catchUp(options: { onProgress?: (progress: CatchUpProgress) => void; signal?: AbortSignal } = {}): Promise<LogPosition | null> {
    if (this.loop !== undefined) throw new Error(`Projector ${this.options.name} is following the log already`);
    await this.loadDeadLetterStatus();
    this.status.position = await this.readModel.checkpoint(this.options.name);
    this.status.running = true;
    this.status.halted = false;
    const readFrom = (after: LogPosition | null) => {
      const read = (async () => {
        const head = await this.store.headPosition();
        const events = await this.store.readAll({ after: after ?? undefined, maxCount: this.options.batchSize, filter: PROFILE_STREAMS });
        return { head, events };
      })();
      // A read ahead that fails while the batch before it is being written is reported when awaited, never left unhandled.
      read.catch(() => undefined);
      return read;
    };
    try {
      let pending = readFrom(this.status.position);
      for (;;) {
        if (options.signal?.aborted) throw new Error('The catch-up was cancelled');
        const { head, events } = await pending;
        const full = events.length >= this.options.batchSize;
        if (full) {
          pending = readFrom(events[events.length - 1].position);
          await this.flush(events);
        } else {
          const last = events.length > 0 ? events[events.length - 1].position : null;
          const next = Math.max(last ?? -1, head ?? -1, this.status.position ?? -1);
          if (events.length > 0) await this.flush(events, next);
          else if (next > (this.status.position ?? -1)) await this.moveCheckpoint(next);
        }
        options.onProgress?.({ position: this.status.position, head, eventsProjected: this.status.eventsProjected });
        if (!full) return this.status.position;
      }
    } catch (error) {
      this.fail(error);
      throw error;
    } finally {
      this.status.running = false;
    }
  }

  private fail(error: unknown): void {
    this.status.lastError = String(error);
    if (error instanceof PoisonEventError) this.status.halted = true;
    this.options.onError?.(error);
  }

  private async loadDeadLetterStatus(): Promise<void> {
    if (!this.deadLetters) return;
    this.status.deadLetters = await this.deadLetters.count();
    this.status.lastDeadLetter = await this.deadLetters.last();
  }

  private async run(subscription: LogSubscription): Promise<void> {
    const iterator = subscription[Symbol.asyncIterator]();
    let batch: RecordedEvent[] = [];
    let pending = iterator.next();
    for (;;) {
      const next =
        batch.length === 0
          ? await pending
          : await Promise.race([pending, delay(this.options.idleFlushMs).then((): typeof IDLE => IDLE)]);
      if (next === IDLE) {
        await this.flush(batch);
        batch = [];
        continue;
      }
      if (next.done) break;
      batch.push(next.value);
      pending = iterator.next();
      if (batch.length >= this.options.batchSize) {
        await this.flush(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.flush(batch);
  }

  private async flush(batch: RecordedEvent[], next: LogPosition = batch[batch.length - 1].position): Promise<void> {
    const { documents, poisoned, haltedAt } = await this.fold(batch);
    // Dead letters are stored before the checkpoint passes them: a crash in between records them again, once.
    for (const letter of poisoned) await this.recordDeadLetter(letter);
    if (haltedAt !== undefined) {
      // Everything before the bad event goes in; the checkpoint stops just before it.
      if (haltedAt > 0) {
        await this.readModel.applyBatch([...documents.values()], {
          name: this.options.name,
          expected: this.status.position,
          next: batch[haltedAt - 1].position,
        });
        this.advance(batch[haltedAt - 1].position, haltedAt);
      }
      throw new PoisonEventError(poisoned[poisoned.length - 1]);
    }
    await this.readModel.applyBatch([...documents.values()], {
      name: this.options.name,
      expected: this.status.position,
      next,
    });
    this.advance(next, batch.length);
  }

  private async moveCheckpoint(next: LogPosition): Promise<void> {
    await this.readModel.applyBatch([], { name: this.options.name, expected: this.status.position, next });
    this.advance(next, 0);
  }

  private advance(next: LogPosition, events: number): void {
    this.status.position = next;
    this.status.eventsProjected += events;
    this.status.batchesWritten += 1;
    const at = Date.now();
    this.samples.push({ at, events: this.status.eventsProjected });
    while (this.samples.length > 2 && this.samples[0].at < at - RATE_WINDOW_MS) this.samples.shift();
    for (const waiter of this.waiters) {
      if (waiter.position <= next) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || Date.now() - last.at > RATE_WINDOW_MS) return 0;
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.round(((last.events - first.events) / seconds) * 10) / 10 : 0;
  }

  private async recordDeadLetter(letter: DeadLetter): Promise<void> {
    await this.deadLetters?.record(letter);
    this.status.deadLetters = this.deadLetters ? await this.deadLetters.count() : this.status.deadLetters + 1;
    this.status.lastDeadLetter = letter;
    this.status.lastError = `${letter.stream}@${letter.revision}: ${letter.error}`;
  }

  /**
   * Folds a batch; returns the documents it changed and the events it could not fold. Halting,
   * it stops at the first of those: `haltedAt` is its index, and the documents hold what came before.
   */
  private async fold(
    batch: RecordedEvent[],
  ): Promise<{ documents: Map<string, ProfileDocument>; poisoned: DeadLetter[]; haltedAt?: number }> {
    const loaded = await this.loadDocuments(batch);
    const changed = new Map<string, ProfileDocument>();
    const poisoned: DeadLetter[] = [];
    for (const [index, event] of batch.entries()) {
      const ref = profileRefOf(event);
      if (!ref) continue;
      const key = documentKey(ref);
      try {
        const next = foldIntoDocument(changed.get(key) ?? loaded.get(key), ref, event);
        if (next) changed.set(key, next);
      } catch (error) {
        // One unreadable event must not stop every profile's projection (unless told to halt).
        poisoned.push(this.deadLetterOf(event, error));
        this.options.onError?.(error, event);
        if (this.options.onPoison === 'halt') return { documents: changed, poisoned, haltedAt: index };
      }
    }
    return { documents: changed, poisoned };
  }

  private deadLetterOf(event: RecordedEvent, error: unknown): DeadLetter {
    return {
      projector: this.options.name,
      event_id: event.id,
      stream: event.streamId,
      revision: event.revision,
      position: event.position,
      type: event.type,
      error: error instanceof Error ? error.message : String(error),
      at: this.now().toISOString(),
    };
  }

  private async loadDocuments(batch: RecordedEvent[]): Promise<Map<string, ProfileDocument>> {
    const idsByTenant = new Map<string, Set<string>>();
    for (const event of batch) {
      const ref = profileRefOf(event);
      if (!ref) continue;
      const ids = idsByTenant.get(ref.tenant) ?? new Set<string>();
      ids.add(ref.profileId);
      idsByTenant.set(ref.tenant, ids);
    }
    const loaded = new Map<string, ProfileDocument>();
    for (const [tenant, ids] of idsByTenant) {
      const docs = await this.readModel.getMany(tenant, [...ids]);
      for (const [profileId, doc] of docs) loaded.set(documentKey({ tenant, profileId }), doc);
    }
    return loaded;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
