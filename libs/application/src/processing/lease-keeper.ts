import { isLive, Lease, LeaseRecord, LeaseStore } from '../ports/lease-store.port';

/**
 * What a LeaseKeeper tells the process that does the work, the way a Kafka consumer's rebalance
 * listener is told about partitions: it starts a partition when its lease was taken and stops it
 * when the lease goes. The keeper waits for each call to finish before it goes on.
 */
export interface PartitionOwner {
  /** The lease of `partition` is held from now on: start writing for it, fenced by `lease.token`. */
  startPartition(partition: number, lease: Lease): Promise<void>;
  /**
   * Stop writing for `partition`. `lost`: the lease is gone already (expired or taken over), so
   * nothing more may be written, not even what is in flight. `handover`: a graceful stop (shutting
   * down, or leaving the partition to an instance with less work): finish what is in flight first;
   * the keeper releases the lease once this resolves.
   */
  stopPartition(partition: number, how: 'lost' | 'handover'): Promise<void>;
}

export interface KeeperTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LeaseKeeperOptions {
  store: LeaseStore;
  /**
   * The role whose partitions are leased, as a name prefix without a trailing slash, e.g.
   * `projection/unified-profiles@default` or `unifier/tenants`. Partition `i` of `n` is the lease
   * `<group>/<i>of<n>`; each keeper also holds `<group>/members/<holder>` while it runs, so the
   * others know how many share the work.
   */
  group: string;
  /** How many partitions the role has (numbered 0..partitions-1). */
  partitions: number;
  /** This instance: unique among the instances sharing the work (host name plus process id, say). */
  holder: string;
  /** How long a lease lasts unless renewed; a dead holder's partitions are taken over after at most this. Default 3 s. */
  ttlMs?: number;
  /** How often leases are renewed and free partitions looked for. Default 1 s. */
  intervalMs?: number;
  /**
   * `fair-share` (default): hold `ceil(partitions / members)` and hand partitions over to instances
   * that join. `every-free-partition`: take whatever is free and never hand over (a rebuild that
   * must hold every partition of the generation it fills).
   */
  takes?: 'fair-share' | 'every-free-partition';
  /** Epoch milliseconds. */
  now?: () => number;
  timers?: KeeperTimers;
  /** Where failures to reach the lease store are reported. */
  onError?: (error: unknown) => void;
}

export interface LeaseKeeperStatus {
  holder: string;
  group: string;
  partitions: number;
  /** Partitions this instance holds, in order. */
  held: number[];
  /** Instances sharing the work, this one included, as of the last round. */
  members: number;
  /** Holds nothing because every partition is held by someone else: ready to take over. */
  standingBy: boolean;
  /** When the last round reached the lease store (epoch ms), or null before the first. */
  lastRoundAt: number | null;
  lastError: string | null;
}

const DEFAULT_TTL_MS = 3000;
const DEFAULT_INTERVAL_MS = 1000;
const realTimers: KeeperTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const partitionLeaseName = (group: string, partition: number, partitions: number): string => `${group}/${partition}of${partitions}`;
export const memberLeaseName = (group: string, holder: string): string => `${group}/members/${holder}`;

/**
 * Holds a fair share of a role's partitions for one instance. Every round (each `intervalMs`) it
 * renews what it holds, counts the instances sharing the role by their member leases, and then
 * either takes free or expired partitions up to its share (`ceil(partitions / members)`), or hands
 * one partition over when it holds more than its share while another instance holds less than
 * `floor(partitions / members)`. A lease it cannot renew before it expires is given up at once:
 * the owner stops writing before anyone else can take the partition over.
 *
 * Usage: `new LeaseKeeper({ store, group, partitions, holder }, owner)`, then `start()`; `stop()`
 * hands every partition back (the owner stops each, then the lease is released), so a graceful
 * shutdown lets the others take over at once instead of after the leases expire.
 */
export class LeaseKeeper {
  private readonly held = new Map<number, Lease>();
  private readonly ttlMs: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly timers: KeeperTimers;
  private timer: unknown;
  private round: Promise<void> = Promise.resolve();
  private running = false;
  private members = 1;
  private lastRoundAt: number | null = null;
  private lastError: string | null = null;
  private othersHoldAll = false;

  constructor(
    private readonly options: LeaseKeeperOptions,
    private readonly owner: PartitionOwner,
  ) {
    if (!Number.isInteger(options.partitions) || options.partitions < 1) throw new RangeError('partitions must be a whole number ≥ 1');
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    if (this.intervalMs * 2 > this.ttlMs) throw new RangeError('a lease must outlive at least two renewal rounds (ttlMs ≥ 2 × intervalMs)');
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? realTimers;
  }

  /** Runs the first round now, then one every `intervalMs` until `stop()`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.tick();
    this.schedule();
  }

  /** Stops the rounds, hands every held partition over and leaves the group. */
  async stop(): Promise<void> {
    this.running = false;
    this.timers.clearTimeout(this.timer);
    await this.round;
    for (const partition of [...this.held.keys()]) await this.handOver(partition).catch((error) => this.report(error));
    await this.options.store
      .release({ name: this.memberName, holder: this.options.holder, token: this.memberToken, expiresAt: 0 })
      .catch((error) => this.report(error));
  }

  status(): LeaseKeeperStatus {
    return {
      holder: this.options.holder,
      group: this.options.group,
      partitions: this.options.partitions,
      held: [...this.held.keys()].sort((a, b) => a - b),
      members: this.members,
      standingBy: this.held.size === 0 && this.othersHoldAll,
      lastRoundAt: this.lastRoundAt,
      lastError: this.lastError,
    };
  }

  /** The lease held on `partition`, if any. */
  lease(partition: number): Lease | undefined {
    return this.held.get(partition);
  }

  /** One round: renew, count the members, take or hand over. Rounds never overlap. */
  tick(): Promise<void> {
    this.round = this.round.then(() => this.runRound()).catch((error) => this.report(error));
    return this.round;
  }

  private memberToken = 0;

  private get memberName(): string {
    return memberLeaseName(this.options.group, this.options.holder);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.timers.setTimeout(() => {
      void this.tick().then(() => this.schedule());
    }, this.intervalMs);
  }

  private async runRound(): Promise<void> {
    const { store, group, holder } = this.options;
    try {
      await this.renewHeld();
      const member = await store.acquire({ name: this.memberName, holder, ttlMs: this.ttlMs, now: this.now() });
      if (member) this.memberToken = member.token;
      const records = await store.list(`${group}/`);
      await this.balance(records);
      this.lastRoundAt = this.now();
      this.lastError = null;
    } catch (error) {
      await this.dropExpiring();
      throw error;
    }
  }

  private async renewHeld(): Promise<void> {
    for (const [partition, lease] of [...this.held]) {
      const renewed = await this.options.store.renew(lease, this.ttlMs, this.now());
      if (renewed) this.held.set(partition, renewed);
      else await this.lose(partition);
    }
  }

  /**
   * The store cannot be reached: a lease that would expire before the next round could renew it
   * is given up now, so this instance has stopped writing before another can take it over.
   */
  private async dropExpiring(): Promise<void> {
    const deadline = this.now() + this.intervalMs;
    for (const [partition, lease] of [...this.held]) if (lease.expiresAt <= deadline) await this.lose(partition);
  }

  private async balance(records: LeaseRecord[]): Promise<void> {
    const { group, partitions, holder } = this.options;
    const now = this.now();
    const memberPrefix = `${group}/members/`;
    const liveMembers = new Set(records.filter((r) => r.name.startsWith(memberPrefix) && isLive(r, now)).map((r) => r.holder!));
    liveMembers.add(holder);
    this.members = liveMembers.size;
    const byName = new Map(records.map((r) => [r.name, r]));
    const holdings = new Map<string, number>([...liveMembers].map((m) => [m, 0]));
    const free: number[] = [];
    for (let partition = 0; partition < partitions; partition++) {
      const record = byName.get(partitionLeaseName(group, partition, partitions));
      if (record && isLive(record, now) && record.holder !== holder) {
        holdings.set(record.holder!, (holdings.get(record.holder!) ?? 0) + 1);
      } else if (!this.held.has(partition)) {
        free.push(partition);
      }
    }
    holdings.set(holder, this.held.size);

    const everything = this.options.takes === 'every-free-partition';
    const share = everything ? partitions : Math.ceil(partitions / this.members);
    const floor = everything ? 0 : Math.floor(partitions / this.members);
    const someoneShort = [...holdings.entries()].some(([member, count]) => member !== holder && count < floor);
    if (this.held.size > share || (this.held.size > floor && someoneShort && free.length === 0)) {
      await this.handOver(Math.max(...this.held.keys()));
      return;
    }
    // Start the search at a place of its own, so instances starting together rarely race for the same partition.
    const offset = free.length > 0 ? stableHash(holder) % free.length : 0;
    let takenMeanwhile = 0;
    for (let i = 0; i < free.length && this.held.size < share; i++) {
      const partition = free[(offset + i) % free.length];
      const lease = await this.options.store.acquire({
        name: partitionLeaseName(group, partition, partitions),
        holder,
        ttlMs: this.ttlMs,
        now: this.now(),
      });
      if (!lease) {
        takenMeanwhile += 1;
        continue;
      }
      this.held.set(partition, lease);
      try {
        await this.owner.startPartition(partition, lease);
      } catch (error) {
        // The owner could not start: leave the partition to someone who can.
        this.held.delete(partition);
        await this.options.store.release(lease);
        throw error;
      }
    }
    this.othersHoldAll = free.length === takenMeanwhile;
  }

  private async lose(partition: number): Promise<void> {
    this.held.delete(partition);
    await this.owner.stopPartition(partition, 'lost');
  }

  private async handOver(partition: number): Promise<void> {
    const lease = this.held.get(partition);
    if (!lease) return;
    await this.owner.stopPartition(partition, 'handover');
    this.held.delete(partition);
    await this.options.store.release(lease);
  }

  private report(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.options.onError?.(error);
  }
}

/** FNV-1a, 32 bits: a cheap, stable spread of strings over small numbers. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
