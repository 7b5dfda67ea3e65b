import { Collection, Db, MongoServerError } from 'mongodb';
import { AcquireRequest, Lease, LeaseRecord, LeaseStore } from '@cds/application';

/** A lease as stored: one document per lease, `_id` is its name. */
export interface StoredLease {
  _id: string;
  holder: string | null;
  token: number;
  /** Epoch ms of the holder's clock. */
  expires_at: number;
}

export const LEASES_COLLECTION = 'leases';
const DUPLICATE_KEY = 11000;

const toLease = (stored: StoredLease): Lease => ({ name: stored._id, holder: stored.holder!, token: stored.token, expiresAt: stored.expires_at });

/**
 * Leases in MongoDB: one document per lease with its holder, expiry and fencing token, changed
 * only by compare-and-set on what was read (single-document updates: no transactions, no change
 * streams, so a wire-protocol server without either serves as well).
 */
export class MongoLeaseStore implements LeaseStore {
  readonly leases: Collection<StoredLease>;

  constructor(db: Db, collection = LEASES_COLLECTION) {
    this.leases = db.collection<StoredLease>(collection);
  }

  async acquire({ name, holder, ttlMs, now }: AcquireRequest): Promise<Lease | null> {
    const stored = await this.leases.findOne({ _id: name });
    const expiresAt = now + ttlMs;
    if (stored === null) {
      const fresh: StoredLease = { _id: name, holder, token: 1, expires_at: expiresAt };
      try {
        await this.leases.insertOne(fresh);
        return toLease(fresh);
      } catch (error) {
        // Someone else created it a moment ago: theirs.
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return null;
        throw error;
      }
    }
    const live = stored.holder !== null && stored.expires_at > now;
    if (live && stored.holder !== holder) return null;
    const renewing = live && stored.holder === holder;
    const taken: StoredLease = { _id: name, holder, token: renewing ? stored.token : stored.token + 1, expires_at: expiresAt };
    const result = await this.leases.updateOne(
      { _id: name, holder: stored.holder, token: stored.token, expires_at: stored.expires_at },
      { $set: { holder, token: taken.token, expires_at: expiresAt } },
    );
    return result.matchedCount === 1 ? toLease(taken) : null;
  }

  async renew(lease: Lease, ttlMs: number, now: number): Promise<Lease | null> {
    const expiresAt = now + ttlMs;
    const result = await this.leases.updateOne({ _id: lease.name, holder: lease.holder, token: lease.token }, { $set: { expires_at: expiresAt } });
    return result.matchedCount === 1 ? { ...lease, expiresAt } : null;
  }

  async release(lease: Lease): Promise<void> {
    await this.leases.updateOne({ _id: lease.name, holder: lease.holder, token: lease.token }, { $set: { holder: null, expires_at: 0 } });
  }

  async list(prefix: string): Promise<LeaseRecord[]> {
    const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const stored = await this.leases.find({ _id: { $regex: `^${escaped}` } }, { sort: { _id: 1 } }).toArray();
    return stored.map((s) => ({ name: s._id, holder: s.holder, token: s.token, expiresAt: s.expires_at }));
  }
}
