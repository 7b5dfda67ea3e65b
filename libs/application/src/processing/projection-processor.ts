import { EventStore, LogFilter, LogPosition, LogSubscription, RecordedEvent } from '../ports/event-store.port';
import { Lease, LeaseStore } from '../ports/lease-store.port';
import { DeadLetter, ProjectionDeadLetters } from '../operations/dead-letters.port';
import { foldBatch, RoutedEvent } from './fold-batch';
import { LeaseKeeper, PartitionOwner } from './lease-keeper';
import { partitionCheckpoint, partitionOf, projectionLeaseGroup } from './partitions';
import { PoisonEventError, PoisonPolicy, ProjectorStatus, RateMeter } from './processor-status';
import { ReadAhead } from './read-ahead';
import { Projection, ProjectionTarget } from './projection';

/** Leases make partitions shareable between processes: each partition is written by its lease holder only. */
export interface ProcessorLeases {
  store: LeaseStore;
  /** This instance, unique among those sharing the partitions. */
  holder: string;
  /** Defaults of LeaseKeeper: 3 s to live, renewed every second. */
  ttlMs?: number;
  intervalMs?: number;
}

export interface ProcessorOptions {
  /** Checkpoint (and dead-letter) name; default the projection's. A rebuild uses the live one's in its own generation. */
  name?: string;
  /** Partitions by stream hash, each with its own checkpoint. Default 1. */
  partitions?: number;
  /** Most events folded into one write. */
  batchSize: number;
  /** How long to wait for more events before writing a partial batch. */
  idleFlushMs: number;
  /** Where events that cannot be folded are recorded (event, error, position). */
  deadLetters?: ProjectionDeadLetters;
  /** `skip` (default): record the event and carry on. `halt`: record it and stop before it. */
  onPoison?: PoisonPolicy;
  onError?: (error: unknown, event?: RecordedEvent) => void;
  /** Absent: this processor holds every partition (one writer by construction: the embedded default, a rebuild, tests). */
  leases?: ProcessorLeases;
  /** First wait before retrying after a failure; doubles up to `maxRetryDelayMs`. Defaults 500 ms and 30 s. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Time source for dead letters. */
  now?: () => Date;
}

export interface CatchUpProgress {
  position: LogPosition | null;
  head: LogPosition | null;
  eventsProjected: number;
}

/** A partition this instance writes: its checkpoint name, its lease and how far it got. */
interface PartitionWork {
  checkpoint: string;
  lease?: Lease;
  position: LogPosition | null;
}

/**
 * One run of the reading loop, over the partitions held when it started (a partition taken
 * meanwhile waits for the next run: its events before then were never read for it). A change
 * of partitions stops the run and starts another.
 */
interface Run {
  work: Map<number, PartitionWork>;
  stopped: boolean;
  subscription?: LogSubscription;
  done?: Promise<void>;
}

const IDLE = Symbol('idle');

/** Pages a catch-up reads ahead of the one it folds. */
const PAGES_READ_AHEAD = 2;

interface LogPage {
  /** The head before the page was read: a short page means everything up to it is in. */
  head: LogPosition | null;
  events: RecordedEvent[];
}

/**
 * Batches on their way into the store: the next batch is folded while the one before it is
 * written (its documents are taken from `unwritten`, not read back); writes and checkpoint moves
 * stay in order, one at a time.
 */
interface WritePipeline<Doc> {
  inflight: Promise<void> | null;
  unwritten: Map<string, Doc>;
}

/**
 * Runs a projection: reads the log in order from the lowest checkpoint among the partitions it
 * holds, folds each event into its partition's batch, and writes each batch's documents and then
 * that partition's checkpoint (compare-and-set, fenced by the partition's lease). An event that
 * cannot be folded is recorded as a dead letter and skipped, or halts the processor.
 *
 * Following the log (`start`), it takes partitions through a LeaseKeeper when given leases (or
 * holds them all), restarts its reading loop when they change, and retries with backoff after a
 * failure instead of stopping for good. Catching up (`catchUp`) reads pages to the head and
 * returns: the rebuild's way, holding every partition of the generation it fills.
 */
export class ProjectionProcessor<Doc> implements PartitionOwner {
  private readonly partitions: number;
  private readonly checkpointName: string;
  private readonly held = new Map<number, PartitionWork>();
  private mode: 'idle' | 'following' | 'catching-up' = 'idle';
  private halted = false;
  private keeper?: LeaseKeeper;
  private run?: Run;
  private control: Promise<void> = Promise.resolve();
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private eventsProjected = 0;
  private batchesWritten = 0;
  private lastError: string | null = null;
  private deadLetterCount = 0;
  private lastDeadLetter: DeadLetter | null = null;
  private readonly rate = new RateMeter();
  private advanced = signal();
  private readonly now: () => Date;

  constructor(
    private readonly store: EventStore,
    private readonly target: ProjectionTarget<Doc>,
    private readonly projection: Projection<Doc>,
    private readonly options: ProcessorOptions,
  ) {
    this.partitions = Math.max(1, options.partitions ?? 1);
    this.checkpointName = options.name ?? projection.name;
    this.now = options.now ?? (() => new Date());
  }

  /** Follows the log from the checkpoints, live, until `stop()`. */
  async start(): Promise<void> {
    if (this.mode !== 'idle') return;
    this.mode = 'following';
    this.halted = false;
    this.failures = 0;
    await this.loadDeadLetterStatus();
    if (this.options.leases) {
      this.keeper = this.leaseKeeper('fair-share');
      await this.keeper.start();
    } else {
      for (let partition = 0; partition < this.partitions; partition++) this.held.set(partition, this.work(partition));
      await this.restart();
    }
  }

  /** Writes what it read, hands its partitions back and stops. */
  async stop(): Promise<void> {
    if (this.mode !== 'following') return;
    this.mode = 'idle';
    clearTimeout(this.retryTimer);
    await this.keeper?.stop();
    this.keeper = undefined;
    await this.enqueue(() => this.stopLoop());
    this.held.clear();
  }

  getStatus(): ProjectorStatus {
    const held = [...this.held.keys()].sort((a, b) => a - b);
    const positions: Record<number, LogPosition | null> = {};
    for (const partition of held) positions[partition] = this.held.get(partition)!.position;
    const values = Object.values(positions);
    const leases = this.keeper?.status() ?? null;
    return {
      name: this.checkpointName,
      position: values.length === 0 || values.includes(null) ? null : Math.min(...(values as number[])),
      eventsProjected: this.eventsProjected,
      batchesWritten: this.batchesWritten,
      lastError: this.lastError,
      running: this.mode !== 'idle' && !this.halted,
      deadLetters: this.deadLetterCount,
      lastDeadLetter: this.lastDeadLetter,
      halted: this.halted,
      eventsPerSecond: this.rate.rate(),
      partitions: { count: this.partitions, held, positions },
      standingBy: leases?.standingBy ?? false,
      failures: this.failures,
      leases,
    };
  }

  /**
   * Resolves true once the events up to `position` are in the documents of `streamId`'s partition
   * (of every partition without a stream), false after the timeout. Partitions held elsewhere are
   * looked up in the store.
   */
  async waitFor(position: LogPosition, timeoutMs: number, streamId?: string): Promise<boolean> {
    const partitions = streamId === undefined ? [...Array(this.partitions).keys()] : [partitionOf(streamId, this.partitions)];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.reached(position, partitions)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const local = partitions.every((partition) => this.held.has(partition));
      await Promise.race([this.advanced.promise, delay(local ? left : Math.min(left, 50))]);
    }
  }

  /**
   * Folds the log up to its head by reading pages (no subscription), then returns the lowest
   * checkpoint reached: the rebuild's way of catching up. Once a read comes back short,
   * everything up to the head seen before it is in, and every checkpoint moves there. The next
   * page is read while the current one is written.
   */
  async catchUp(options: { onProgress?: (progress: CatchUpProgress) => void; signal?: AbortSignal } = {}): Promise<LogPosition | null> {
    if (this.mode !== 'idle') throw new Error(`Projector ${this.checkpointName} is following the log already`);
    this.mode = 'catching-up';
    this.halted = false;
    try {
      await this.loadDeadLetterStatus();
      await this.holdEveryPartition();
      const work = new Map(this.held);
      await this.readCheckpoints(work);
      return await this.catchUpPages(work, options);
    } catch (error) {
      this.fail(error);
      throw error;
    } finally {
      await this.keeper?.stop();
      this.keeper = undefined;
      this.held.clear();
      this.mode = 'idle';
    }
  }

  /** Called by the lease keeper: the partition is ours from now on. */
  async startPartition(partition: number, lease: Lease): Promise<void> {
    this.held.set(partition, { ...this.work(partition), lease });
    if (this.mode === 'following') await this.restart();
  }

  /** Called by the lease keeper: a lost partition is dropped before anything more is written; a handed-over one is written first. */
  async stopPartition(partition: number, how: 'lost' | 'handover'): Promise<void> {
    if (how === 'lost') {
      this.held.delete(partition);
      this.run?.work.delete(partition);
    }
    if (this.mode === 'following') {
      await this.enqueue(async () => {
        await this.stopLoop();
        this.held.delete(partition);
        this.startLoop();
      });
    }
    this.held.delete(partition);
  }

  private work(partition: number): PartitionWork {
    return { checkpoint: partitionCheckpoint(this.checkpointName, partition, this.partitions), position: null };
  }

  private leaseKeeper(takes: 'fair-share' | 'every-free-partition'): LeaseKeeper {
    const leases = this.options.leases!;
    return new LeaseKeeper(
      {
        store: leases.store,
        group: projectionLeaseGroup(this.checkpointName, this.target.generation()),
        partitions: this.partitions,
        holder: leases.holder,
        ttlMs: leases.ttlMs,
        intervalMs: leases.intervalMs,
        takes,
        onError: (error) => this.options.onError?.(error),
      },
      this,
    );
  }

  /** Catching up needs every partition: takes their leases (waiting out a dead holder's), or fails. */
  private async holdEveryPartition(): Promise<void> {
    if (!this.options.leases) {
      for (let partition = 0; partition < this.partitions; partition++) this.held.set(partition, this.work(partition));
      return;
    }
    this.keeper = this.leaseKeeper('every-free-partition');
    await this.keeper.start();
    const ttlMs = this.options.leases.ttlMs ?? 3000;
    const deadline = Date.now() + ttlMs * 2;
    while (this.held.size < this.partitions) {
      if (Date.now() > deadline) {
        const missing = [...Array(this.partitions).keys()].filter((p) => !this.held.has(p));
        throw new Error(`Partitions ${missing.join(', ')} of ${this.target.generation()} are held by another process: is another rebuild running?`);
      }
      await delay(Math.min(250, ttlMs / 4));
      await this.keeper.tick();
    }
  }

  private async readCheckpoints(work: Map<number, PartitionWork>): Promise<void> {
    await Promise.all([...work.values()].map(async (one) => (one.position = await this.target.checkpoint(one.checkpoint))));
  }

  /** Where reading starts: after the lowest checkpoint (undefined: the start of the log). */
  private lowestPosition(work: Map<number, PartitionWork>): LogPosition | undefined {
    let lowest: LogPosition | undefined;
    for (const one of work.values()) {
      if (one.position === null) return undefined;
      lowest = lowest === undefined ? one.position : Math.min(lowest, one.position);
    }
    return lowest;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.control.then(step);
    this.control = next.catch(() => undefined);
    return next;
  }

  private restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopLoop();
      this.startLoop();
    });
  }

  private startLoop(): void {
    if (this.mode !== 'following' || this.halted || this.held.size === 0) return;
    const run: Run = { work: new Map(this.held), stopped: false };
    run.done = this.follow(run).catch((error) => this.failed(error));
    this.run = run;
  }

  private async stopLoop(): Promise<void> {
    const run = this.run;
    if (!run) return;
    run.stopped = true;
    await run.subscription?.close();
    await run.done;
    if (this.run === run) this.run = undefined;
  }

  private failed(error: unknown): void {
    this.fail(error);
    if (error instanceof PoisonEventError || this.mode !== 'following') return;
    this.failures += 1;
    const base = this.options.retryDelayMs ?? 500;
    const wait = Math.min(this.options.maxRetryDelayMs ?? 30_000, base * 2 ** Math.min(this.failures - 1, 16));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.restart(), wait);
    this.retryTimer.unref();
  }

  private fail(error: unknown): void {
    this.lastError = String(error);
    if (error instanceof PoisonEventError) this.halted = true;
    this.options.onError?.(error);
  }

  /** The live loop: subscribe after the lowest checkpoint, route, batch, write; ends when stopped. */
  private async follow(run: Run): Promise<void> {
    await this.readCheckpoints(run.work);
    this.wake();
    if (run.stopped) return;
    // Unfiltered: events of other streams move the checkpoints too, so a wait for any write's position ends.
    const subscription = this.store.subscribeToAll({ after: this.lowestPosition(run.work) });
    run.subscription = subscription;
    if (run.stopped) return subscription.close();
    try {
      await this.consume(run.work, subscription);
    } finally {
      await subscription.close();
    }
  }

  private async consume(work: Map<number, PartitionWork>, subscription: LogSubscription): Promise<void> {
    // The log is read on while a batch is being written.
    const iterator = new ReadAhead(subscription[Symbol.asyncIterator](), this.options.batchSize * 2);
    const pipeline: WritePipeline<Doc> = { inflight: null, unwritten: new Map() };
    // A write that fails ends the loop at once (the retry starts over from the checkpoints).
    const flush = (events: RoutedEvent[], next: LogPosition) =>
      this.flush(work, events, next, pipeline).then(() => void pipeline.inflight?.catch(() => subscription.close()));
    let batch: RoutedEvent[] = [];
    let lastRead: LogPosition | null = null;
    let pendingReady = iterator.ready();
    let pending = iterator.next();
    for (;;) {
      // A timer only when the next event was not read yet: one per event would cost more than the event.
      const dirty: boolean = !pendingReady && (batch.length > 0 || this.behind(work, lastRead));
      const next: IteratorResult<RecordedEvent> | typeof IDLE = dirty ? await Promise.race([pending, delay(this.options.idleFlushMs).then((): typeof IDLE => IDLE)]) : await pending;
      if (next === IDLE) {
        await flush(batch, lastRead!);
        batch = [];
        continue;
      }
      if (next.done) break;
      pendingReady = iterator.ready();
      pending = iterator.next();
      const read: LogPosition = next.value.position;
      lastRead = read;
      const routed = this.route(work, next.value);
      if (routed) batch.push(routed);
      if (batch.length >= this.options.batchSize) {
        await flush(batch, read);
        batch = [];
      }
    }
    if (lastRead !== null && (batch.length > 0 || this.behind(work, lastRead))) await flush(batch, lastRead);
    await pipeline.inflight;
  }

  private async catchUpPages(
    work: Map<number, PartitionWork>,
    options: { onProgress?: (progress: CatchUpProgress) => void; signal?: AbortSignal },
  ): Promise<LogPosition | null> {
    const pages = new ReadAhead(pagesOf(this.store, this.projection.filter, this.options.batchSize, this.lowestPosition(work)), PAGES_READ_AHEAD);
    for (;;) {
      if (options.signal?.aborted) throw new Error('The catch-up was cancelled');
      if (this.held.size < this.partitions) throw new Error('A partition lease was lost during the catch-up');
      const next = await pages.next();
      if (next.done) throw new Error('The log ended before a page came back short');
      const { head, events } = next.value;
      const full = events.length >= this.options.batchSize;
      const batch = events.flatMap((event) => this.route(work, event) ?? []);
      // The pages ahead move on (their reads finish, their payloads are opened elsewhere) while this one is folded and written.
      await nextTurn();
      if (full) {
        await this.flush(work, batch, events[events.length - 1].position);
      } else {
        const last = events.length > 0 ? events[events.length - 1].position : null;
        const position = Math.max(last ?? -1, head ?? -1);
        if (position >= 0 && (batch.length > 0 || this.behind(work, position))) await this.flush(work, batch, position);
      }
      const status = this.getStatus();
      options.onProgress?.({ position: status.position, head, eventsProjected: this.eventsProjected });
      if (!full) return status.position;
    }
  }

  /** The event as work for one of our partitions, or null when it is not ours or already in. */
  private route(work: Map<number, PartitionWork>, event: RecordedEvent): RoutedEvent | null {
    const documentId = this.projection.documentId(event);
    if (documentId === null) return null;
    const partition = partitionOf(event.streamId, this.partitions);
    const one = work.get(partition);
    if (!one || (one.position !== null && event.position <= one.position)) return null;
    return { event, partition, documentId };
  }

  /** Some partition's checkpoint is short of `position`. */
  private behind(work: Map<number, PartitionWork>, position: LogPosition | null): boolean {
    if (position === null) return false;
    for (const one of work.values()) if (one.position === null || one.position < position) return true;
    return false;
  }

  /**
   * Folds a batch, records what it could not fold, then writes each partition's documents and
   * checkpoint up to `next`. With a pipeline, the write is left in flight once the one before it
   * is done (the caller awaits `pipeline.inflight` before it ends).
   */
  private async flush(work: Map<number, PartitionWork>, batch: RoutedEvent[], next: LogPosition, pipeline?: WritePipeline<Doc>): Promise<void> {
    const halting = this.options.onPoison === 'halt';
    const folded = await foldBatch(this.projection, this.target, batch, halting, pipeline?.unwritten);
    // Dead letters are stored before the checkpoint passes them: a crash in between records them again, once.
    for (const { event, error } of folded.poisoned) await this.recordDeadLetter(event, error);
    await pipeline?.inflight;
    if (folded.haltedAt === undefined) {
      if (pipeline && !halting) {
        pipeline.unwritten = new Map([...folded.documents.values()].flatMap((documents) => [...documents]));
        pipeline.inflight = this.writePartitions(work, folded.documents, next).then(() => this.advance(batch.length));
        return;
      }
      await this.writePartitions(work, folded.documents, next);
      this.advance(batch.length);
      return;
    }
    // Everything before the bad event goes in; the checkpoints stop just before it.
    if (folded.haltedAt > 0) {
      await this.writePartitions(work, folded.documents, batch[folded.haltedAt - 1].event.position);
      this.advance(folded.haltedAt);
    }
    const { event, error } = folded.poisoned[folded.poisoned.length - 1];
    throw new PoisonEventError(this.deadLetterOf(event, error));
  }

  private async writePartitions(work: Map<number, PartitionWork>, documents: Map<number, Map<string, Doc>>, next: LogPosition): Promise<void> {
    const writes = [...work.entries()].map(async ([partition, one]) => {
      const changed = [...(documents.get(partition)?.values() ?? [])];
      if (one.position !== null && one.position >= next) return;
      await this.target.write(changed, { name: one.checkpoint, expected: one.position, next, fence: one.lease?.token });
      one.position = next;
    });
    const results = await Promise.allSettled(writes);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private advance(events: number): void {
    this.eventsProjected += events;
    this.batchesWritten += 1;
    this.failures = 0;
    this.rate.record(this.eventsProjected);
    this.wake();
  }

  /** Wakes the reads waiting for a position. */
  private wake(): void {
    const { resolve } = this.advanced;
    this.advanced = signal();
    resolve();
  }

  private async reached(position: LogPosition, partitions: number[]): Promise<boolean> {
    for (const partition of partitions) {
      const work = this.held.get(partition);
      const at = work ? work.position : await this.target.checkpoint(partitionCheckpoint(this.checkpointName, partition, this.partitions));
      if (at === null || at < position) return false;
    }
    return true;
  }

  private async loadDeadLetterStatus(): Promise<void> {
    const deadLetters = this.options.deadLetters;
    if (!deadLetters) return;
    this.deadLetterCount = await deadLetters.count();
    this.lastDeadLetter = await deadLetters.last();
  }

  private async recordDeadLetter(event: RecordedEvent, error: unknown): Promise<void> {
    const letter = this.deadLetterOf(event, error);
    this.options.onError?.(error, event);
    const deadLetters = this.options.deadLetters;
    await deadLetters?.record(letter);
    this.deadLetterCount = deadLetters ? await deadLetters.count() : this.deadLetterCount + 1;
    this.lastDeadLetter = letter;
    this.lastError = `${letter.stream}@${letter.revision}: ${letter.error}`;
  }

  private deadLetterOf(event: RecordedEvent, error: unknown): DeadLetter {
    return {
      projector: this.checkpointName,
      event_id: event.id,
      stream: event.streamId,
      revision: event.revision,
      position: event.position,
      type: event.type,
      error: error instanceof Error ? error.message : String(error),
      at: this.now().toISOString(),
    };
  }
}

/** Pages of the log after `after`, each with the head seen before it was read, up to the first that comes back short. */
async function* pagesOf(store: EventStore, filter: LogFilter, size: number, after: LogPosition | undefined): AsyncIterator<LogPage> {
  for (;;) {
    const head = await store.headPosition();
    const events = await store.readAll({ after, maxCount: size, filter });
    yield { head, events };
    if (events.length < size) return;
    after = events[events.length - 1].position;
  }
}

/** Lets the event loop run what is waiting (finished reads, messages from other threads). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
