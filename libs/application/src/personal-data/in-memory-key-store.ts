import { KeyStore, Rewrap, StoredSubjectKey, SubjectErasedError, SubjectKeyRecord, WrappedDataKey } from './key-store.port';

/** A key store that lives and dies with the process: for tests and throwaway runs. */
export class InMemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, { tenant: string; subject: string; stored: StoredSubjectKey }>();

  async create(tenant: string, subject: string, key: WrappedDataKey): Promise<WrappedDataKey> {
    const existing = this.keys.get(id(tenant, subject))?.stored;
    if (existing?.state === 'destroyed') throw new SubjectErasedError(tenant, subject);
    if (existing) return copy(existing.key);
    this.keys.set(id(tenant, subject), { tenant, subject, stored: { state: 'live', key: copy(key) } });
    return copy(key);
  }

  async get(tenant: string, subject: string): Promise<StoredSubjectKey | null> {
    const stored = this.keys.get(id(tenant, subject))?.stored;
    return stored ? copyStored(stored) : null;
  }

  async getMany(tenant: string, subjects: readonly string[]): Promise<Map<string, StoredSubjectKey>> {
    const found = new Map<string, StoredSubjectKey>();
    for (const subject of subjects) {
      const stored = this.keys.get(id(tenant, subject))?.stored;
      if (stored) found.set(subject, copyStored(stored));
    }
    return found;
  }

  async destroy(tenant: string, subjects: readonly string[]): Promise<void> {
    for (const subject of subjects) {
      const existing = this.keys.get(id(tenant, subject))?.stored;
      if (existing?.state === 'live') existing.key.wrapped.fill(0);
      this.keys.set(id(tenant, subject), { tenant, subject, stored: { state: 'destroyed' } });
    }
  }

  async listWrappedOtherThan(masterKeyId: number, limit: number): Promise<SubjectKeyRecord[]> {
    const records: SubjectKeyRecord[] = [];
    for (const { tenant, subject, stored } of this.keys.values()) {
      if (records.length >= limit) break;
      if (stored.state === 'live' && stored.key.masterKeyId !== masterKeyId) records.push({ tenant, subject, key: copy(stored.key) });
    }
    return records;
  }

  async rewrap(changes: readonly Rewrap[]): Promise<number> {
    let replaced = 0;
    for (const change of changes) {
      const entry = this.keys.get(id(change.tenant, change.subject));
      if (entry?.stored.state !== 'live' || entry.stored.key.masterKeyId !== change.fromMasterKeyId) continue;
      entry.stored.key.wrapped.fill(0);
      entry.stored = { state: 'live', key: copy(change.key) };
      replaced++;
    }
    return replaced;
  }

  async close(): Promise<void> {
    this.keys.clear();
  }
}

const id = (tenant: string, subject: string) => `${tenant}\n${subject}`;
/** Callers get copies: the store wipes its own when a key is destroyed or replaced. */
const copyStored = (stored: StoredSubjectKey): StoredSubjectKey => (stored.state === 'live' ? { state: 'live', key: copy(stored.key) } : stored);
const copy = (key: WrappedDataKey): WrappedDataKey => ({ masterKeyId: key.masterKeyId, wrapped: Buffer.from(key.wrapped) });
