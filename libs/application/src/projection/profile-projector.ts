import { EventStore, LogPosition, LogSubscription, RecordedEvent } from '../ports/event-store.port';
import { ProfileDocument, ProfileReadModel } from '../ports/read-model.port';
import { documentKey, foldIntoDocument, profileRefOf } from './profile-fold';

export interface ProjectorOptions {
  /** Checkpoint name; a rebuild uses its own. */
  name: string;
  /** Most events folded into one read-model write. */
  batchSize: number;
  /** How long to wait for more events before writing a partial batch. */
  idleFlushMs: number;
  onError?: (error: unknown, event?: RecordedEvent) => void;
}

export interface ProjectorStatus {
  name: string;
  position: LogPosition | null;
  eventsProjected: number;
  batchesWritten: number;
  lastError: string | null;
  running: boolean;
}

const IDLE = Symbol('idle');

/**
 * Folds the log into unified-profile documents, in log order, from its checkpoint. Each batch
 * reads the documents it touches, folds with the domain's evolve (skipping events a document
 * already holds), writes them position-guarded, then moves the checkpoint by compare-and-set.
 */
export class ProfileProjector {
  private subscription?: LogSubscription;
  private loop?: Promise<void>;
  private readonly waiters = new Set<{ position: LogPosition; resolve: () => void }>();
  private readonly status: ProjectorStatus;

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ProfileReadModel,
    private readonly options: ProjectorOptions,
  ) {
    this.status = { name: options.name, position: null, eventsProjected: 0, batchesWritten: 0, lastError: null, running: false };
  }

  async start(): Promise<void> {
    this.status.position = await this.readModel.checkpoint(this.options.name);
    this.subscription = this.store.subscribeToAll({ after: this.status.position ?? undefined });
    this.status.running = true;
    this.loop = this.run(this.subscription).catch((error) => {
      this.status.lastError = String(error);
      this.options.onError?.(error);
    }).finally(() => {
      this.status.running = false;
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
  }

  getStatus(): ProjectorStatus {
    return { ...this.status };
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

  private async flush(batch: RecordedEvent[]): Promise<void> {
    const documents = await this.fold(batch);
    const next = batch[batch.length - 1].position;
    await this.readModel.applyBatch([...documents.values()], {
      name: this.options.name,
      expected: this.status.position,
      next,
    });
    this.status.position = next;
    this.status.eventsProjected += batch.length;
    this.status.batchesWritten += 1;
    for (const waiter of this.waiters) {
      if (waiter.position <= next) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Folds a batch; returns only the documents it changed. */
  private async fold(batch: RecordedEvent[]): Promise<Map<string, ProfileDocument>> {
    const loaded = await this.loadDocuments(batch);
    const changed = new Map<string, ProfileDocument>();
    for (const event of batch) {
      const ref = profileRefOf(event);
      if (!ref) continue;
      const key = documentKey(ref);
      try {
        const next = foldIntoDocument(changed.get(key) ?? loaded.get(key), ref, event);
        if (next) changed.set(key, next);
      } catch (error) {
        // One unreadable event must not stop every profile's projection.
        this.status.lastError = `${event.streamId}@${event.revision}: ${String(error)}`;
        this.options.onError?.(error, event);
      }
    }
    return changed;
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
