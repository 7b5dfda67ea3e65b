/**
 * The key store port: per-subject data keys, stored only wrapped (encrypted under a tenant key
 * derived from the master key). Implemented by a key file in the embedded data directory, by a
 * MongoDB collection, and in memory for tests; the shared contract suite holds them to the same
 * behaviour.
 *
 * Deleting is the point of this store: once `destroy` resolves, the wrapped key is gone from
 * the store's files or documents, and every payload sealed with it is unreadable for good.
 */
import { DomainError } from '@cds/domain';

/** A data key as stored: encrypted, with the id of the master key that wrapped it. */
export interface WrappedDataKey {
  /** Which master key wrapped it (see `masterKeyId`); unwrapping needs that master key. */
  readonly masterKeyId: number;
  readonly wrapped: Buffer;
}

/** What the store knows about one subject. A destroyed subject keeps a tombstone without key material. */
export type StoredSubjectKey = { readonly state: 'live'; readonly key: WrappedDataKey } | { readonly state: 'destroyed' };

/** One live key, as listed for re-wrapping under another master key. */
export interface SubjectKeyRecord {
  readonly tenant: string;
  readonly subject: string;
  readonly key: WrappedDataKey;
}

/** Replace a live key's wrapping, if it is still wrapped under `fromMasterKeyId`. */
export interface Rewrap {
  readonly tenant: string;
  readonly subject: string;
  readonly fromMasterKeyId: number;
  readonly key: WrappedDataKey;
}

export interface KeyStore {
  /**
   * Stores the subject's key unless it already has one, and returns the key the subject has from
   * now on: this one, or the one an earlier (or concurrent) create stored. Durable before it
   * resolves, so nothing is ever sealed with a key a crash could lose.
   * Rejects with `SubjectErasedError` when the subject's key was destroyed.
   */
  create(tenant: string, subject: string, key: WrappedDataKey): Promise<WrappedDataKey>;
  /** The subject's key, its tombstone, or null when it never had one. Never a key that is not yet durable. */
  get(tenant: string, subject: string): Promise<StoredSubjectKey | null>;
  /** `get` for many subjects of one tenant at once; subjects without a key are left out. */
  getMany(tenant: string, subjects: readonly string[]): Promise<Map<string, StoredSubjectKey>>;
  /**
   * Destroys the subjects' keys, leaving tombstones (also for subjects that had no key, so a
   * later create is refused). Durable and real when it resolves: no copy of the key material is
   * left in the store. Destroying twice is harmless.
   */
  destroy(tenant: string, subjects: readonly string[]): Promise<void>;
  /** Up to `limit` live keys wrapped under any master key other than `masterKeyId`, any tenant. */
  listWrappedOtherThan(masterKeyId: number, limit: number): Promise<SubjectKeyRecord[]>;
  /**
   * Replaces wrappings; each only while the key is live and still wrapped under its
   * `fromMasterKeyId`, so a rewrap never brings back a destroyed key. The old wrapping is gone
   * when it resolves. Returns how many were replaced.
   */
  rewrap(changes: readonly Rewrap[]): Promise<number>;
  close(): Promise<void>;
}

export const KEY_STORE = Symbol('KeyStore');

/** The subject was erased: its key is destroyed, and nothing can be sealed for it again. */
export class SubjectErasedError extends DomainError {
  constructor(
    readonly tenant: string,
    readonly subject: string,
  ) {
    super('not_found', 'subject_erased', `Profile ${subject} was erased`);
    this.name = 'SubjectErasedError';
  }
}
