import { randomUUID } from 'node:crypto';
import { LeaseStore } from '@cds/application';

export interface LeaseStoreUnderTest {
  store: LeaseStore;
  cleanup(): Promise<void>;
}

/**
 * What every LeaseStore does: one holder at a time, takeover only after expiry or release, a
 * fencing token that grows with every change of hands, renewal by compare-and-set. Lease names
 * are unique per test, so a shared server is fine.
 */
export function describeLeaseStoreContract(name: string, open: () => Promise<LeaseStoreUnderTest>): void {
  describe(`LeaseStore contract: ${name}`, () => {
    let subject: LeaseStoreUnderTest;
    let store: LeaseStore;
    let prefix: string;
    const t0 = 1_700_000_000_000;
    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      prefix = `test-${randomUUID()}`;
    });
    afterEach(() => subject.cleanup());

    it('gives a free lease to the first asker only, until it expires', async () => {
      const name = `${prefix}/p0`;
      const a = await store.acquire({ name, holder: 'a', ttlMs: 1000, now: t0 });
      expect(a).toEqual({ name, holder: 'a', token: 1, expiresAt: t0 + 1000 });
      expect(await store.acquire({ name, holder: 'b', ttlMs: 1000, now: t0 + 999 })).toBeNull();
      const b = await store.acquire({ name, holder: 'b', ttlMs: 1000, now: t0 + 1000 });
      expect(b).toEqual({ name, holder: 'b', token: 2, expiresAt: t0 + 2000 });
    });

    it('renews for its holder by compare-and-set, and never for a holder that lost it', async () => {
      const name = `${prefix}/p0`;
      const a = (await store.acquire({ name, holder: 'a', ttlMs: 1000, now: t0 }))!;
      const renewed = (await store.renew(a, 1000, t0 + 800))!;
      expect(renewed).toEqual({ ...a, expiresAt: t0 + 1800 });
      expect(await store.acquire({ name, holder: 'b', ttlMs: 1000, now: t0 + 1500 })).toBeNull();
      const b = (await store.acquire({ name, holder: 'b', ttlMs: 1000, now: t0 + 1800 }))!;
      expect(b.token).toBe(2);
      // a wakes up after a long pause: its renewal and its release change nothing.
      expect(await store.renew(a, 1000, t0 + 1900)).toBeNull();
      await store.release(a);
      expect(await store.acquire({ name, holder: 'c', ttlMs: 1000, now: t0 + 1900 })).toBeNull();
    });

    it('acquiring a lease one holds already renews it under the same token', async () => {
      const name = `${prefix}/p0`;
      await store.acquire({ name, holder: 'a', ttlMs: 1000, now: t0 });
      expect(await store.acquire({ name, holder: 'a', ttlMs: 1000, now: t0 + 500 })).toEqual({ name, holder: 'a', token: 1, expiresAt: t0 + 1500 });
    });

    it('hands a released lease to the next asker at once, with a greater token', async () => {
      const name = `${prefix}/p0`;
      const a = (await store.acquire({ name, holder: 'a', ttlMs: 60_000, now: t0 }))!;
      await store.release(a);
      expect(await store.acquire({ name, holder: 'b', ttlMs: 1000, now: t0 + 1 })).toMatchObject({ holder: 'b', token: 2 });
    });

    it('gives the lease to exactly one of many asking at once', async () => {
      const name = `${prefix}/p0`;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.acquire({ name, holder: `h${i}`, ttlMs: 1000, now: t0 })));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const expired = await Promise.all(Array.from({ length: 8 }, (_, i) => store.acquire({ name, holder: `late${i}`, ttlMs: 1000, now: t0 + 5000 })));
      const winners = expired.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.token).toBe(2);
    });

    it('lists the leases under a prefix in name order, released ones without a holder', async () => {
      const b = (await store.acquire({ name: `${prefix}/b`, holder: 'x', ttlMs: 1000, now: t0 }))!;
      await store.acquire({ name: `${prefix}/a`, holder: 'y', ttlMs: 1000, now: t0 });
      await store.acquire({ name: `${prefix}x/other`, holder: 'z', ttlMs: 1000, now: t0 });
      await store.release(b);
      expect(await store.list(`${prefix}/`)).toEqual([
        { name: `${prefix}/a`, holder: 'y', token: 1, expiresAt: t0 + 1000 },
        { name: `${prefix}/b`, holder: null, token: 1, expiresAt: 0 },
      ]);
    });
  });
}
