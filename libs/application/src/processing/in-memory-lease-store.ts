import { AcquireRequest, Lease, LeaseRecord, LeaseStore } from '../ports/lease-store.port';

/**
 * Leases inside one process: the embedded default (one process holds every partition) and tests
 * (several keepers in one process share one store, as instances share MongoDB).
 */
export class InMemoryLeaseStore implements LeaseStore {
  private readonly records = new Map<string, LeaseRecord>();

  async acquire({ name, holder, ttlMs, now }: AcquireRequest): Promise<Lease | null> {
    const record = this.records.get(name);
    if (record && record.holder === holder && record.expiresAt > now) return this.put({ ...record, expiresAt: now + ttlMs });
    if (record && record.holder !== null && record.expiresAt > now) return null;
    return this.put({ name, holder, token: (record?.token ?? 0) + 1, expiresAt: now + ttlMs });
  }

  async renew(lease: Lease, ttlMs: number, now: number): Promise<Lease | null> {
    const record = this.records.get(lease.name);
    if (!record || record.holder !== lease.holder || record.token !== lease.token) return null;
    return this.put({ ...record, expiresAt: now + ttlMs });
  }

  async release(lease: Lease): Promise<void> {
    const record = this.records.get(lease.name);
    if (record && record.holder === lease.holder && record.token === lease.token) {
      this.records.set(lease.name, { ...record, holder: null, expiresAt: 0 });
    }
  }

  async list(prefix: string): Promise<LeaseRecord[]> {
    return [...this.records.values()]
      .filter((record) => record.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((record) => ({ ...record }));
  }

  private put(record: LeaseRecord): Lease {
    this.records.set(record.name, record);
    return { name: record.name, holder: record.holder!, token: record.token, expiresAt: record.expiresAt };
  }
}
