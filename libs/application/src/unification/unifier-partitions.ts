import { CheckpointStore } from '../ports/checkpoint-store.port';
import { EventStore, LogPosition } from '../ports/event-store.port';
import { Lease } from '../ports/lease-store.port';
import { PartitionOwner } from '../processing/lease-keeper';
import { UnificationProgress } from './unification-progress';
import { Unifier, unifierCheckpointName, UnifierOptions, UnifierStatus } from './unifier';
import { tenantPartition, UnifierPartition } from './unifier-partition';
import { UnifierContext } from './unify-event';

export interface UnifierPartitionsOptions extends Pick<UnifierOptions, 'checkpointEveryMs' | 'maxEventsInFlight' | 'onError'> {
  /** Tenants are spread over this many partitions, each with one unifier at a time somewhere. */
  count: number;
  /** Only these tenants (a log shared with others, as in tests); needs a count of 1. */
  only?: UnifierOptions['only'];
  /** How often a wait on a partition held by another process reads its checkpoint. */
  pollMs?: number;
}

const DEFAULT_POLL_MS = 25;

/**
 * The unifiers of the partitions this process holds leases for (a LeaseKeeper starts and stops
 * them), and how far every partition got, wherever its unifier runs: a sign-in waits on the
 * unifier of its tenant's partition when it runs here, else on the checkpoint its holder records.
 */
export class UnifierPartitions implements PartitionOwner, UnificationProgress {
  private readonly running = new Map<number, Unifier>();
  private readonly watches = new Map<number, CheckpointWatch>();

  constructor(
    private readonly store: EventStore,
    private readonly checkpointStore: CheckpointStore,
    private readonly context: UnifierContext,
    private readonly options: UnifierPartitionsOptions,
  ) {
    if (options.only && options.count !== 1) throw new Error('a unifier for some tenants only runs as one partition');
  }

  async startPartition(index: number, lease: Lease): Promise<void> {
    const unifier = new Unifier(this.store, this.checkpointStore, this.context, {
      ...this.unifierOptions(index),
      checkpointEveryMs: this.options.checkpointEveryMs,
      maxEventsInFlight: this.options.maxEventsInFlight,
      onError: this.options.onError,
      // The lease's token does not change while it is held: checkpoints saved under an older one are refused.
      fencingToken: () => lease.token,
    });
    await unifier.start();
    this.running.set(index, unifier);
  }

  async stopPartition(index: number, how: 'lost' | 'handover'): Promise<void> {
    const unifier = this.running.get(index);
    this.running.delete(index);
    await unifier?.stop(how);
  }

  async waitFor(tenant: string, position: LogPosition, timeoutMs: number): Promise<boolean> {
    const index = this.options.only ? 0 : tenantPartition(tenant, this.options.count);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      const local = this.running.get(index);
      // Here, the unifier says as soon as it passed; it may also hand the partition over meanwhile.
      if (local ? await local.waitFor(position, Math.min(remaining, 250)) : await this.watch(index).passes(position, Math.min(remaining, 250))) return true;
      if (Date.now() >= deadline) return false;
    }
  }

  /** One reader of a remote partition's checkpoint for every request of this process waiting on it. */
  private watch(index: number): CheckpointWatch {
    let watch = this.watches.get(index);
    if (!watch) {
      watch = new CheckpointWatch(() => this.checkpointStore.load(this.checkpointName(index)), this.options.pollMs ?? DEFAULT_POLL_MS);
      this.watches.set(index, watch);
    }
    return watch;
  }

  /** How far every partition's unifier got by its checkpoint, wherever it runs. */
  async checkpoints(): Promise<Array<{ partition: number; checkpoint: LogPosition | null }>> {
    const count = this.options.only ? 1 : this.options.count;
    return Promise.all(Array.from({ length: count }, async (_, partition) => ({ partition, checkpoint: await this.checkpointStore.load(this.checkpointName(partition)) })));
  }

  /** The unifiers running here, by partition. */
  status(): UnifierStatus[] {
    return [...this.running.entries()].sort(([a], [b]) => a - b).map(([, unifier]) => unifier.status());
  }

  private unifierOptions(index: number): Pick<UnifierOptions, 'partition' | 'only'> {
    const partition: UnifierPartition = { index, count: this.options.count };
    return this.options.only ? { partition, only: this.options.only } : { partition };
  }

  private checkpointName(index: number): string {
    return unifierCheckpointName(this.unifierOptions(index));
  }
}

/**
 * Reads a checkpoint every `pollMs` while anyone waits on it, and wakes the waiters it passed:
 * however many requests wait, the checkpoint store sees one read per interval.
 */
class CheckpointWatch {
  private readonly waiters = new Set<{ position: LogPosition; resolve: (passed: boolean) => void }>();
  private polling = false;

  constructor(
    private readonly read: () => Promise<LogPosition | null>,
    private readonly pollMs: number,
  ) {}

  /** True once the checkpoint reached `position`, false after `timeoutMs`. */
  passes(position: LogPosition, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = { position, resolve };
      this.waiters.add(waiter);
      setTimeout(() => {
        if (this.waiters.delete(waiter)) resolve(false);
      }, Math.max(0, timeoutMs)).unref();
      if (!this.polling) void this.poll();
    });
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.waiters.size > 0) {
        const reached = await this.read().catch(() => null);
        for (const waiter of this.waiters) {
          if (reached !== null && reached >= waiter.position) {
            this.waiters.delete(waiter);
            waiter.resolve(true);
          }
        }
        if (this.waiters.size > 0) await delay(this.pollMs);
      }
    } finally {
      this.polling = false;
      // A waiter that came while the last read was answered still needs one.
      if (this.waiters.size > 0) void this.poll();
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
