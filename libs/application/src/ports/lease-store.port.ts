/**
 * Leases for single-writer roles (a projection partition, a tenant partition of a decision
 * maker): at most one holder at a time, for a limited time, renewed while the holder is healthy.
 *
 * A lease is only as good as the writes it guards: a holder that stalls (a long GC pause, a lost
 * network) may still believe it holds a lease that expired and was taken over. So every lease
 * carries a fencing token that only grows, and the storage a holder writes to refuses a write
 * whose token is lower than one it has seen (the checkpoint compare-and-set does that here).
 *
 * Times are epoch milliseconds of the caller's clock: the clocks of all holders must agree to
 * well within a lease's time to live.
 */

/** A lease as its holder knows it. */
export interface Lease {
  /** What is leased, e.g. `projection/unified-profiles@default/2of4`. */
  name: string;
  holder: string;
  /** Fencing token: grows by at least one every time the lease changes hands. */
  token: number;
  /** Epoch ms after which anyone may take the lease over. */
  expiresAt: number;
}

/** A lease as anyone can read it; `holder` is null when nobody holds it (released or never taken). */
export interface LeaseRecord {
  name: string;
  holder: string | null;
  token: number;
  expiresAt: number;
}

export interface AcquireRequest {
  name: string;
  holder: string;
  /** How long the lease lasts from `now` unless renewed. */
  ttlMs: number;
  now: number;
}

export interface LeaseStore {
  /**
   * Takes the lease when nobody holds it, its holder let it go, or it expired; the token grows.
   * When `holder` holds it already, renews it (same token). Null when someone else holds it.
   */
  acquire(request: AcquireRequest): Promise<Lease | null>;
  /**
   * Extends a held lease by compare-and-set on its holder and token. Null when the lease was
   * taken over meanwhile (then the holder must stop writing at once).
   */
  renew(lease: Lease, ttlMs: number, now: number): Promise<Lease | null>;
  /** Gives the lease up (only if still held with this token), so another may take it at once. */
  release(lease: Lease): Promise<void>;
  /** Every lease whose name starts with `prefix`, held or not, in name order. */
  list(prefix: string): Promise<LeaseRecord[]>;
}

export const LEASE_STORE = Symbol('LeaseStore');

/** An expired lease is as good as free. */
export const isLive = (record: LeaseRecord, now: number): boolean => record.holder !== null && record.expiresAt > now;
