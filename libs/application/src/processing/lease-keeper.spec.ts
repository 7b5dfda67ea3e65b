import { Lease, LeaseStore } from '../ports/lease-store.port';
import { InMemoryLeaseStore } from './in-memory-lease-store';
import { LeaseKeeper, PartitionOwner } from './lease-keeper';

/** An owner that records what it was told, and a global view of who writes where. */
class RecordingOwner implements PartitionOwner {
  readonly writing = new Map<number, Lease>();
  readonly calls: string[] = [];
  constructor(private readonly name: string, private readonly writers: Map<number, string>) {}
  async startPartition(partition: number, lease: Lease): Promise<void> {
    const other = this.writers.get(partition);
    if (other !== undefined) throw new Error(`${this.name} starts ${partition} while ${other} writes it`);
    this.writers.set(partition, this.name);
    this.writing.set(partition, lease);
    this.calls.push(`start ${partition}#${lease.token}`);
  }
  async stopPartition(partition: number, how: 'lost' | 'handover'): Promise<void> {
    if (this.writers.get(partition) === this.name) this.writers.delete(partition);
    this.writing.delete(partition);
    this.calls.push(`stop ${partition} ${how}`);
  }
}

const noTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

function setUp(partitions: number) {
  let now = 1_000_000;
  const store = new InMemoryLeaseStore();
  const writers = new Map<number, string>();
  const make = (name: string, over: Partial<{ store: LeaseStore }> = {}) => {
    const owner = new RecordingOwner(name, writers);
    const keeper = new LeaseKeeper(
      { store: over.store ?? store, group: 'test/role', partitions, holder: name, ttlMs: 3000, intervalMs: 1000, now: () => now, timers: noTimers },
      owner,
    );
    return { keeper, owner };
  };
  return { store, writers, make, advance: (ms: number) => (now += ms), now: () => now };
}

async function rounds(count: number, keepers: LeaseKeeper[], advance: (ms: number) => void): Promise<void> {
  for (let i = 0; i < count; i++) {
    for (const keeper of keepers) await keeper.tick();
    advance(1000);
  }
}

describe('LeaseKeeper', () => {
  it('alone, takes every partition; stopping hands them all back', async () => {
    const { store, make } = setUp(4);
    const a = make('a');
    await a.keeper.start();
    expect(a.keeper.status()).toMatchObject({ held: [0, 1, 2, 3], members: 1, standingBy: false });
    await a.keeper.stop();
    expect(a.owner.calls.filter((c) => c.startsWith('stop'))).toEqual(['stop 0 handover', 'stop 1 handover', 'stop 2 handover', 'stop 3 handover']);
    expect((await store.list('test/role/')).every((r) => r.holder === null)).toBe(true);
  });

  it('shares partitions evenly when instances join, and never lets two write one partition', async () => {
    const { make, advance } = setUp(4);
    const a = make('a');
    const b = make('b');
    await a.keeper.start();
    expect(a.keeper.status().held).toHaveLength(4);
    await rounds(4, [a.keeper, b.keeper], advance);
    expect(a.keeper.status().held).toHaveLength(2);
    expect(b.keeper.status().held).toHaveLength(2);
    expect(a.owner.calls).toContain('stop 3 handover');

    const c = make('c');
    await rounds(5, [a.keeper, b.keeper, c.keeper], advance);
    const counts = [a, b, c].map((x) => x.keeper.status().held.length).sort();
    expect(counts).toEqual([1, 1, 2]);
    expect(c.keeper.status().members).toBe(3);
  });

  it('stands by while another holds the only partition, and takes it over once the holder died', async () => {
    const { make, advance, writers } = setUp(1);
    const a = make('a');
    const b = make('b');
    await rounds(2, [a.keeper, b.keeper], advance);
    expect(a.keeper.status()).toMatchObject({ held: [0], standingBy: false });
    expect(b.keeper.status()).toMatchObject({ held: [], standingBy: true, members: 2 });
    const token = a.owner.writing.get(0)!.token;

    // a dies (kill -9): it writes and renews nothing any more. b takes over once a's lease expired, not before.
    writers.delete(0);
    await b.keeper.tick();
    advance(1000);
    await b.keeper.tick();
    expect(b.keeper.status().held).toEqual([]);
    advance(2500);
    await b.keeper.tick();
    expect(b.keeper.status().held).toEqual([0]);
    expect(b.owner.writing.get(0)!.token).toBeGreaterThan(token);
  });

  it('lets the others take over at once after a graceful stop', async () => {
    const { make, advance } = setUp(2);
    const a = make('a');
    const b = make('b');
    await rounds(3, [a.keeper, b.keeper], advance);
    expect(b.keeper.status().held).toHaveLength(1);
    await a.keeper.stop();
    await b.keeper.tick();
    expect(b.keeper.status()).toMatchObject({ held: [0, 1], members: 1 });
  });

  it('tells the owner the moment a lease was taken over, before writing anything more', async () => {
    const { store, make, advance, now } = setUp(1);
    const a = make('a');
    await a.keeper.start();
    // Someone takes the lease behind a's back (a stalled past its expiry, say).
    advance(3001);
    const thief = await store.acquire({ name: 'test/role/0of1', holder: 'thief', ttlMs: 3000, now: now() });
    expect(thief).not.toBeNull();
    await a.keeper.tick();
    expect(a.owner.calls).toEqual(['start 0#1', 'stop 0 lost']);
    expect(a.keeper.status().held).toEqual([]);
  });

  it('gives leases up before they expire when the store cannot be reached, and takes them back later', async () => {
    const { store, make, advance } = setUp(1);
    let down = false;
    const flaky: LeaseStore = {
      acquire: (r) => (down ? Promise.reject(new Error('store down')) : store.acquire(r)),
      renew: (l, t, n) => (down ? Promise.reject(new Error('store down')) : store.renew(l, t, n)),
      release: (l) => store.release(l),
      list: (p) => (down ? Promise.reject(new Error('store down')) : store.list(p)),
    };
    const a = make('a', { store: flaky });
    await a.keeper.start();
    down = true;
    advance(1000);
    await a.keeper.tick();
    expect(a.keeper.status().held).toEqual([0]);
    expect(a.keeper.status().lastError).toBe('store down');
    advance(1000);
    await a.keeper.tick();
    // The lease runs out before the next round could renew it: stopped now.
    expect(a.owner.calls).toEqual(['start 0#1', 'stop 0 lost']);
    down = false;
    advance(1000);
    await a.keeper.tick();
    expect(a.owner.calls).toEqual(['start 0#1', 'stop 0 lost', 'start 0#2']);
    expect(a.keeper.status().lastError).toBeNull();
  });

  it('refuses settings under which a lease could lapse between two renewals', () => {
    const store = new InMemoryLeaseStore();
    const owner = new RecordingOwner('x', new Map());
    expect(() => new LeaseKeeper({ store, group: 'g', partitions: 1, holder: 'x', ttlMs: 1000, intervalMs: 800 }, owner)).toThrow(RangeError);
    expect(() => new LeaseKeeper({ store, group: 'g', partitions: 0, holder: 'x' }, owner)).toThrow(RangeError);
  });
});
