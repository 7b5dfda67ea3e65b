import {
  AnyBulkWriteOperation,
  Collection,
  Db,
  Document,
  Filter,
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
} from 'mongodb';
import { ProfileState } from '@cds/domain';
import {
  CheckpointConflictError,
  CheckpointUpdate,
  DocumentKey,
  ListPage,
  ListQuery,
  LogPosition,
  ProfileDocument,
  ProfileReadModel,
} from '@cds/application';
import { CompiledFilter, compileFilters, matchesAll, toListPage } from '@cds/application';
import { connectMongo } from './mongo-connect';
import { mongoConditionOf } from './mongo-filter';

/** A profile document as stored: `_id` is `<tenant>/<profile_id>` (tenant handles hold no `/`). */
export interface StoredProfile {
  _id: string;
  tenant: string;
  profile_id: string;
  position: LogPosition;
  state: ProfileState;
}

export interface StoredCheckpoint {
  _id: string;
  position: LogPosition;
  /** The highest fencing token that moved it, once a leased writer did. */
  fence?: number;
}

export interface MongoReadModelOptions {
  /** The profiles collection. A rebuild writes a fresh generation, e.g. `profiles_g2`. */
  collection?: string;
  /** Where checkpoints live; defaults to `checkpoints`. */
  checkpointCollection?: string;
}

export const DEFAULT_PROFILES_COLLECTION = 'profiles';
export const DEFAULT_CHECKPOINTS_COLLECTION = 'checkpoints';

const DUPLICATE_KEY = 11000;
/** Rounds of re-reading after other writers got in between; each round means one of them progressed. */
const MAX_WRITE_ATTEMPTS = 10;
/**
 * Ids per `$in` lookup. mongo-java-server checks each found document against the whole list,
 * so one huge `$in` costs quadratic time there; MongoDB does not mind either way.
 */
const IN_CHUNK = 500;
/** Candidates fetched per round trip while filling a page the server cannot filter exactly. */
const MAX_BATCH = 1000;
/** Stored positions remembered for the next writes; past this many the memory starts over. */
const KNOWN_POSITIONS_LIMIT = 200_000;

export const storedProfileId = (tenant: string, profileId: string): string => `${tenant}/${profileId}`;

const toDocument = (stored: StoredProfile): ProfileDocument => ({
  tenant: stored.tenant,
  profile_id: stored.profile_id,
  state: stored.state,
  position: stored.position,
});

const storedIdOf = (document: ProfileDocument): string => storedProfileId(document.tenant, document.profile_id);

/** Each profile once, at the newest position the batch holds for it. */
function newestPerProfile(documents: ProfileDocument[]): ProfileDocument[] {
  const newest = new Map<string, ProfileDocument>();
  for (const document of documents) {
    const id = storedIdOf(document);
    const seen = newest.get(id);
    if (seen === undefined || seen.position < document.position) newest.set(id, document);
  }
  return [...newest.values()];
}

/** No stored document is ever at this position: a filter on it matches nothing. */
const NO_POSITION = -1;

/**
 * Inserts the document as an upsert that matches nothing, so that a batch's new and changed
 * documents go in one `update` command (inserts and updates mixed are two commands, two round
 * trips). When the document exists after all, the insert meets its `_id`: a duplicate key, as a
 * plain insert would. The filter is on exactly the `id_position` index's keys, which
 * mongo-java-server needs to use an index.
 */
const insertOf = (document: ProfileDocument): AnyBulkWriteOperation<StoredProfile> => {
  const { tenant, profile_id, state, position } = document;
  return { updateOne: { filter: { _id: storedIdOf(document), position: NO_POSITION }, update: { $set: { tenant, profile_id, position, state } }, upsert: true } };
};

/** Replaces the stored document only if it is still at the position read before. */
const compareAndSetOf = (document: ProfileDocument, expected: LogPosition): AnyBulkWriteOperation<StoredProfile> => ({
  updateOne: {
    filter: { _id: storedIdOf(document), position: expected },
    update: { $set: { position: document.position, state: document.state } },
  },
});

const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === DUPLICATE_KEY;

/**
 * The read model in MongoDB (or a server speaking its wire protocol). No transactions: documents
 * are written first, each only over an older stored one, and the checkpoint moves last by
 * compare-and-set, so replaying after a crash in between is harmless.
 *
 * Each instance reads and writes one collection pair; a rebuild can fill a fresh generation
 * (`{ collection: 'profiles_g2', checkpointCollection: 'checkpoints_g2' }`) while the old one serves.
 */
export class MongoProfileReadModel implements ProfileReadModel {
  readonly profiles: Collection<StoredProfile>;
  readonly checkpoints: Collection<StoredCheckpoint>;
  /**
   * Stored positions by `_id` as this instance last saw them (null: absent), from `getMany` and
   * from its own writes. A projector reads a batch's documents just before writing them, so its
   * writes need no second read. A remembered position is only ever an expectation: when the
   * stored one differs (another writer moved on, or the data was restored), the compare-and-set
   * matches nothing and the document is read and judged again.
   */
  private readonly known = new Map<string, LogPosition | null>();

  constructor(
    db: Db,
    options: MongoReadModelOptions = {},
    /** Closed by `close()` when given: the read model then owns the connection. */
    private readonly ownedClient?: MongoClient,
  ) {
    this.profiles = db.collection<StoredProfile>(options.collection ?? DEFAULT_PROFILES_COLLECTION);
    this.checkpoints = db.collection<StoredCheckpoint>(options.checkpointCollection ?? DEFAULT_CHECKPOINTS_COLLECTION);
  }

  /** Connects to `url` and returns a read model that closes the connection on `close()`. */
  static async open(url: string, dbName: string, options: MongoReadModelOptions = {}): Promise<MongoProfileReadModel> {
    const { client, db } = await connectMongo(url, dbName);
    return new MongoProfileReadModel(db, options, client);
  }

  /** The indexes the reads need. Idempotent; run at start-up. */
  async ensureIndexes(): Promise<void> {
    await this.profiles.createIndexes([
      // list: live profiles of a tenant in profile id order.
      { key: { tenant: 1, 'state.status': 1, profile_id: 1 }, name: 'tenant_status_profile' },
      { key: { tenant: 1, 'state.trackers': 1 }, name: 'tenant_trackers' },
      { key: { tenant: 1, 'state.user_id': 1 }, name: 'tenant_user_id' },
      // scan: every document in (tenant, profile_id) order.
      { key: { tenant: 1, profile_id: 1 }, name: 'tenant_profile' },
      // Serves the position compare-and-set of writes. MongoDB could use `_id` alone;
      // mongo-java-server only uses a unique index whose keys are exactly the query's.
      { key: { _id: 1, position: 1 }, name: 'id_position', unique: true },
    ]);
  }

  async getMany(tenant: string, profileIds: string[]): Promise<Map<string, ProfileDocument>> {
    const found = new Map<string, ProfileDocument>();
    const ids = [...new Set(profileIds)].map((id) => storedProfileId(tenant, id));
    const positions = new Map<string, LogPosition>();
    await this.forEachById(ids, undefined, (stored) => {
      found.set(stored.profile_id, toDocument(stored));
      positions.set(stored._id, stored.position);
    });
    this.remember(ids.map((id) => [id, positions.get(id) ?? null]));
    return found;
  }

  async get(tenant: string, profileId: string): Promise<ProfileDocument | null> {
    const stored = await this.profiles.findOne({ _id: storedProfileId(tenant, profileId) });
    return stored === null ? null : toDocument(stored);
  }

  async applyBatch(documents: ProfileDocument[], checkpoint: CheckpointUpdate): Promise<void> {
    if (documents.length > 0) await this.writeDocuments(documents);
    await this.moveCheckpoint(checkpoint);
  }

  async checkpoint(name: string): Promise<LogPosition | null> {
    const stored = await this.checkpoints.findOne({ _id: name });
    return stored === null ? null : stored.position;
  }

  async list(tenant: string, query: ListQuery): Promise<ListPage> {
    const items = await this.scanLive(tenant, compileFilters(query.filters), query.pageSize, query.after);
    return toListPage(items, query.pageSize);
  }


  async scan(after: DocumentKey | undefined, limit: number): Promise<ProfileDocument[]> {
    if (limit <= 0) return [];
    const query: Filter<StoredProfile> =
      after === undefined
        ? {}
        : { $or: [{ tenant: { $gt: after.tenant } }, { tenant: after.tenant, profile_id: { $gt: after.profileId } }] };
    const items: ProfileDocument[] = [];
    for await (const stored of this.profiles.find(query, { sort: { tenant: 1, profile_id: 1 }, limit, batchSize: Math.min(limit, MAX_BATCH) })) {
      items.push(toDocument(stored));
    }
    return items;
  }

  async close(): Promise<void> {
    await this.ownedClient?.close();
  }

  /**
   * Writes each profile's newest document of the batch unless the stored one is as new.
   * Stored positions are read first (one query): stale documents cost no write, new profiles
   * are plain inserts, and changed ones are compare-and-set updates on the position just read.
   * When another writer got in between (an insert meets a duplicate key, or an update matches
   * nothing), the affected documents are read and judged again, so a newer document is never
   * replaced by an older one.
   *
   * (One guarded upsert per document, `{_id, position: {$lt: new}}`, would also be correct, but
   * mongo-java-server uses an index only for a query on exactly a unique index's keys: every
   * such write would scan the collection, and a replayed batch would fail every upsert.)
   */
  private async writeDocuments(documents: ProfileDocument[]): Promise<void> {
    let pending = newestPerProfile(documents);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_WRITE_ATTEMPTS) {
        throw new Error(`Read-model writes kept conflicting with another writer after ${MAX_WRITE_ATTEMPTS} attempts`);
      }
      // First from memory when every document is known; after a conflict, read again.
      const stored = (attempt === 1 && this.knownPositions(pending)) || (await this.storedPositions(pending));
      const inserts: ProfileDocument[] = [];
      const updates: { document: ProfileDocument; expected: LogPosition }[] = [];
      for (const document of pending) {
        const expected = stored.get(storedIdOf(document));
        if (expected === undefined) inserts.push(document);
        else if (expected < document.position) updates.push({ document, expected });
      }
      if (inserts.length + updates.length === 0) return;
      const { matched, duplicates } = await this.bulkWrite([
        ...inserts.map(insertOf),
        ...updates.map(({ document, expected }) => compareAndSetOf(document, expected)),
      ]);
      if (duplicates === 0 && matched === updates.length) {
        this.remember([...inserts, ...updates.map((u) => u.document)].map((d) => [storedIdOf(d), d.position]));
        return;
      }
      pending = [...inserts, ...updates.map((u) => u.document)];
    }
  }

  /** Stored positions by `_id`. Protected so tests can slip another writer in between. */
  protected async storedPositions(documents: ProfileDocument[]): Promise<Map<string, LogPosition>> {
    const positions = new Map<string, LogPosition>();
    await this.forEachById(documents.map(storedIdOf), { _id: 1, position: 1 }, ({ _id, position }) => positions.set(_id, position));
    this.remember(documents.map((d) => [storedIdOf(d), positions.get(storedIdOf(d)) ?? null]));
    return positions;
  }

  /**
   * The remembered positions of every document (absent ones left out), or null when one is
   * unknown, or remembered at or past the position to write: memory only ever leads to a write
   * that the compare-and-set checks, never to skipping one (a read model restored from a backup
   * holds older positions than any process remembers).
   */
  private knownPositions(documents: ProfileDocument[]): Map<string, LogPosition> | null {
    const positions = new Map<string, LogPosition>();
    for (const document of documents) {
      const id = storedIdOf(document);
      const position = this.known.get(id);
      if (position === undefined || (position !== null && position >= document.position)) return null;
      if (position !== null) positions.set(id, position);
    }
    return positions;
  }

  private remember(entries: Array<[string, LogPosition | null]>): void {
    if (this.known.size + entries.length > KNOWN_POSITIONS_LIMIT) this.known.clear();
    for (const [id, position] of entries) this.known.set(id, position);
  }

  /** Looks documents up by `_id`, a few hundred ids per query, the queries in parallel. */
  private async forEachById(ids: string[], projection: Document | undefined, visit: (stored: StoredProfile) => void): Promise<void> {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) chunks.push(ids.slice(i, i + IN_CHUNK));
    await Promise.all(
      chunks.map(async (chunk) => {
        // All of a chunk in the first reply, not the first 101 and the rest in another round trip.
        for await (const stored of this.profiles.find({ _id: { $in: chunk } }, { projection, batchSize: chunk.length })) visit(stored);
      }),
    );
  }

  /** Runs the writes unordered. Duplicate keys are counted, not thrown: they mean "lost a race". */
  private async bulkWrite(operations: AnyBulkWriteOperation<StoredProfile>[]): Promise<{ matched: number; duplicates: number }> {
    try {
      const result = await this.profiles.bulkWrite(operations, { ordered: false, ignoreUndefined: true });
      return { matched: result.matchedCount, duplicates: 0 };
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || error.result?.getWriteConcernError?.() !== undefined) throw error;
      const writeErrors = error.result?.getWriteErrors?.() ?? [];
      if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== DUPLICATE_KEY)) throw error;
      return { matched: error.matchedCount, duplicates: writeErrors.length };
    }
  }

  /**
   * Compare-and-set on the position read and, for a fenced writer, on the fencing token: a move
   * whose token is lower than the stored one (a writer that lost its lease) matches nothing.
   */
  private async moveCheckpoint({ name, expected, next, fence }: CheckpointUpdate): Promise<void> {
    const fenced = fence === undefined ? {} : { fence };
    if (expected === null) {
      try {
        await this.checkpoints.insertOne({ _id: name, position: next, ...fenced });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    } else {
      const notNewer = fence === undefined ? {} : { fence: { $not: { $gt: fence } } };
      const result = await this.checkpoints.updateOne({ _id: name, position: expected, ...notNewer }, { $set: { position: next, ...fenced } });
      if (result.matchedCount === 1) return;
    }
    throw new CheckpointConflictError(name, expected, await this.checkpoint(name));
  }

  /**
   * Live documents of a tenant after `after`, in profile id order, matching every filter. The
   * server narrows the candidates; the shared predicate has the last word, so answers match the
   * in-process read model exactly, whatever the server's own matching quirks.
   */
  private async scanLive(tenant: string, filters: CompiledFilter[], limit: number, after?: string): Promise<ProfileDocument[]> {
    if (limit <= 0) return [];
    const conditions: Document[] = [];
    for (const filter of filters) {
      const condition = mongoConditionOf(filter);
      if (condition === false) return [];
      if (condition !== undefined) conditions.push(condition);
    }
    const query: Document = { tenant, 'state.status': 'active' };
    if (after !== undefined) query.profile_id = { $gt: after };
    if (conditions.length > 0) query.$and = conditions;

    const items: ProfileDocument[] = [];
    const cursor = this.profiles.find(query as Filter<StoredProfile>, {
      sort: { profile_id: 1 },
      batchSize: Math.min(limit, MAX_BATCH),
    });
    try {
      for await (const stored of cursor) {
        if (stored.state.status === 'active' && matchesAll(stored.state, filters)) {
          items.push(toDocument(stored));
          if (items.length >= limit) break;
        }
      }
    } finally {
      await cursor.close();
    }
    return items;
  }
}
