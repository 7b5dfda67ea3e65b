/**
 * The key store in MongoDB: one document per subject in one collection, `_id` = `<tenant>:<subject>`
 * (a tenant handle holds no colon). Creating is an insert that a duplicate-key error turns into
 * "read the key that won"; destroying replaces the document with a tombstone; re-wrapping is a
 * compare-and-set on the master key id. No transactions, so it runs on any MongoDB, the wire
 * server of the tests included. Writes wait for the majority and the journal: a key is durable
 * before anything is sealed with it.
 *
 * MongoDB does not overwrite what it deletes: WiredTiger may keep the bytes of a destroyed key's
 * old document version in its data files until the space is reused (or `compact` runs), in its
 * journal until it rotates, and a replica set's oplog holds the insert until it rolls over.
 * What remains is a wrapped key, useless without the master key; docs/personal-data.md says what
 * operators do about it.
 */
import { AnyBulkWriteOperation, Binary, Collection, Db, MongoClient, MongoServerError } from 'mongodb';
import {
  KeyStore,
  Rewrap,
  StoredSubjectKey,
  SubjectErasedError,
  SubjectKeyRecord,
  WrappedDataKey,
} from '@cds/application';
import { connectMongo } from './mongo-connect';

export interface StoredKeyDocument {
  _id: string;
  tenant: string;
  subject: string;
  state: 'live' | 'destroyed';
  /** Live keys only. */
  master_key_id?: number;
  key?: Binary;
}

export const DEFAULT_KEYS_COLLECTION = 'subject_keys';
const DUPLICATE_KEY = 11000;
const DURABLE = { writeConcern: { w: 'majority' as const, journal: true } };

export class MongoKeyStore implements KeyStore {
  constructor(
    readonly collection: Collection<StoredKeyDocument>,
    /** Closed by `close()` when given. */
    private readonly ownedClient?: MongoClient,
  ) {}

  static async open(url: string, dbName: string, collection = DEFAULT_KEYS_COLLECTION): Promise<MongoKeyStore> {
    const { client, db } = await connectMongo(url, dbName);
    const store = MongoKeyStore.inDatabase(db, collection, client);
    await store.ensureIndexes();
    return store;
  }

  static inDatabase(db: Db, collection = DEFAULT_KEYS_COLLECTION, ownedClient?: MongoClient): MongoKeyStore {
    return new MongoKeyStore(db.collection<StoredKeyDocument>(collection, DURABLE), ownedClient);
  }

  /** For re-wrapping: live keys by master key. */
  async ensureIndexes(): Promise<void> {
    await this.collection.createIndexes([{ key: { state: 1, master_key_id: 1 }, name: 'state_master_key' }]);
  }

  async create(tenant: string, subject: string, key: WrappedDataKey): Promise<WrappedDataKey> {
    try {
      await this.collection.insertOne({
        _id: documentId(tenant, subject),
        tenant,
        subject,
        state: 'live',
        master_key_id: key.masterKeyId,
        key: new Binary(key.wrapped),
      });
      return { masterKeyId: key.masterKeyId, wrapped: Buffer.from(key.wrapped) };
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
    const existing = await this.get(tenant, subject);
    if (existing?.state !== 'live') throw new SubjectErasedError(tenant, subject);
    return existing.key;
  }

  async get(tenant: string, subject: string): Promise<StoredSubjectKey | null> {
    const stored = await this.collection.findOne({ _id: documentId(tenant, subject) });
    return stored === null ? null : toStored(stored);
  }

  async getMany(tenant: string, subjects: readonly string[]): Promise<Map<string, StoredSubjectKey>> {
    const found = new Map<string, StoredSubjectKey>();
    if (subjects.length === 0) return found;
    const stored = await this.collection.find({ _id: { $in: subjects.map((subject) => documentId(tenant, subject)) } }).toArray();
    for (const document of stored) found.set(document.subject, toStored(document));
    return found;
  }

  async destroy(tenant: string, subjects: readonly string[]): Promise<void> {
    if (subjects.length === 0) return;
    const operations: AnyBulkWriteOperation<StoredKeyDocument>[] = [...new Set(subjects)].map((subject) => ({
      replaceOne: { filter: { _id: documentId(tenant, subject) }, replacement: { tenant, subject, state: 'destroyed' }, upsert: true },
    }));
    await this.collection.bulkWrite(operations, { ordered: false });
  }

  async listWrappedOtherThan(masterKeyId: number, limit: number): Promise<SubjectKeyRecord[]> {
    if (limit <= 0) return [];
    const stored = await this.collection.find({ state: 'live', master_key_id: { $ne: masterKeyId } }, { limit }).toArray();
    return stored.map((document) => ({ tenant: document.tenant, subject: document.subject, key: liveKey(document) }));
  }

  async rewrap(changes: readonly Rewrap[]): Promise<number> {
    if (changes.length === 0) return 0;
    const operations: AnyBulkWriteOperation<StoredKeyDocument>[] = changes.map((change) => ({
      updateOne: {
        filter: { _id: documentId(change.tenant, change.subject), state: 'live', master_key_id: change.fromMasterKeyId },
        update: { $set: { master_key_id: change.key.masterKeyId, key: new Binary(change.key.wrapped) } },
      },
    }));
    const result = await this.collection.bulkWrite(operations, { ordered: false });
    return result.matchedCount;
  }

  async close(): Promise<void> {
    await this.ownedClient?.close();
  }
}

const documentId = (tenant: string, subject: string) => `${tenant}:${subject}`;

function toStored(document: StoredKeyDocument): StoredSubjectKey {
  return document.state === 'live' ? { state: 'live', key: liveKey(document) } : { state: 'destroyed' };
}

function liveKey(document: StoredKeyDocument): WrappedDataKey {
  if (document.master_key_id === undefined || document.key === undefined) {
    throw new Error(`The key document ${document._id} is live but holds no key`);
  }
  return { masterKeyId: document.master_key_id, wrapped: Buffer.from(document.key.buffer) };
}
