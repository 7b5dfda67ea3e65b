import { Db, MongoClient, MongoServerError } from 'mongodb';
import {
  DEFAULT_GENERATION,
  GenerationConflictError,
  GenerationHandle,
  GenerationsState,
  ReadModelGenerations,
} from '@cds/application';
import { connectMongo } from './mongo-connect';
import { DEFAULT_DEAD_LETTERS_COLLECTION, MongoProjectionDeadLetters, StoredDeadLetter } from './mongo-dead-letters';
import { DEFAULT_CHECKPOINTS_COLLECTION, DEFAULT_PROFILES_COLLECTION, MongoProfileReadModel } from './mongo-read-model';

/** The pointer document: which generation serves, which is being built. */
export interface StoredGenerations {
  _id: string;
  active: string;
  building: string | null;
  previous: string | null;
  switched_at: string | null;
  /** Generations handed out so far; the next one is `g<counter + 1>`. */
  counter: number;
  /** Bumped by every change, for compare-and-set. */
  version: number;
}

export const GENERATIONS_COLLECTION = 'read_model_generations';
const POINTER_ID = 'unified-profiles';
const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
const MAX_ATTEMPTS = 5;

/** The collections of a generation: the first one keeps the unsuffixed names. */
export function generationCollections(id: string): { profiles: string; checkpoints: string; deadLetters: string } {
  const suffix = id === DEFAULT_GENERATION ? '' : `_${id}`;
  return {
    profiles: `${DEFAULT_PROFILES_COLLECTION}${suffix}`,
    checkpoints: `${DEFAULT_CHECKPOINTS_COLLECTION}${suffix}`,
    deadLetters: `${DEFAULT_DEAD_LETTERS_COLLECTION}${suffix}`,
  };
}

const GENERATION_ID = /^(default|g[1-9]\d{0,8})$/;

/**
 * Read-model generations in MongoDB: each generation is a collection set (`profiles_g2`,
 * `checkpoints_g2`, `dead_letters_g2`), and one pointer document in `read_model_generations`
 * says which serves. Every change of the pointer is a compare-and-set on its version, so two
 * rebuilds cannot both switch, and readers only ever see a generation that has caught up.
 */
export class MongoReadModelGenerations implements ReadModelGenerations {
  private readonly handles = new Map<string, Promise<GenerationHandle>>();

  constructor(
    readonly db: Db,
    /** Closed by `close()` when given. */
    private readonly ownedClient?: MongoClient,
  ) {}

  static async open(url: string, dbName: string): Promise<MongoReadModelGenerations> {
    const { client, db } = await connectMongo(url, dbName);
    return new MongoReadModelGenerations(db, client);
  }

  private get pointer() {
    return this.db.collection<StoredGenerations>(GENERATIONS_COLLECTION);
  }

  async state(): Promise<GenerationsState> {
    const stored = await this.pointer.findOne({ _id: POINTER_ID });
    return stored === null
      ? { active: DEFAULT_GENERATION, building: null, previous: null, switchedAt: null }
      : { active: stored.active, building: stored.building, previous: stored.previous, switchedAt: stored.switched_at };
  }

  open(id: string): Promise<GenerationHandle> {
    if (!GENERATION_ID.test(id)) return Promise.reject(new GenerationConflictError(`Unknown generation "${id}"`));
    let handle = this.handles.get(id);
    if (handle === undefined) {
      handle = (async () => {
        const names = generationCollections(id);
        const readModel = new MongoProfileReadModel(this.db, { collection: names.profiles, checkpointCollection: names.checkpoints });
        const deadLetters = new MongoProjectionDeadLetters(this.db.collection<StoredDeadLetter>(names.deadLetters));
        await readModel.ensureIndexes();
        await deadLetters.ensureIndexes();
        return { id, readModel, deadLetters };
      })();
      handle.catch(() => this.handles.delete(id));
      this.handles.set(id, handle);
    }
    return handle;
  }

  async beginBuild(options: { fresh: boolean }): Promise<{ id: string; resumed: boolean }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.pointer.findOne({ _id: POINTER_ID });
      if (stored?.building && !options.fresh) return { id: stored.building, resumed: true };
      const counter = (stored?.counter ?? 1) + 1;
      const id = `g${counter}`;
      if (stored === null) {
        try {
          await this.pointer.insertOne({
            _id: POINTER_ID,
            active: DEFAULT_GENERATION,
            building: id,
            previous: null,
            switched_at: null,
            counter,
            version: 1,
          });
        } catch (error) {
          if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) continue;
          throw error;
        }
      } else {
        const result = await this.pointer.updateOne(
          { _id: POINTER_ID, version: stored.version },
          { $set: { building: id, counter }, $inc: { version: 1 } },
        );
        if (result.matchedCount !== 1) continue;
      }
      // The build owns a fresh, empty generation; an abandoned build and the generation that
      // served before the last switch are no longer needed.
      const obsolete = [id];
      if (stored?.building && stored.building !== stored.active) obsolete.push(stored.building);
      if (stored?.previous && stored.previous !== stored.active) obsolete.push(stored.previous);
      for (const generation of obsolete) await this.drop(generation);
      return { id, resumed: false };
    }
    throw new GenerationConflictError('The generation pointer kept changing: is another rebuild starting?');
  }

  async activate(id: string, expectedActive: string, at: string): Promise<void> {
    const result = await this.pointer.updateOne(
      { _id: POINTER_ID, active: expectedActive, building: id },
      { $set: { active: id, building: null, previous: expectedActive, switched_at: at }, $inc: { version: 1 } },
    );
    if (result.matchedCount !== 1) {
      const state = await this.state();
      throw new GenerationConflictError(
        `Cannot switch to ${id}: active is ${state.active} (expected ${expectedActive}), building is ${String(state.building)}`,
      );
    }
  }

  /** Drops a generation's collections (never the active one). */
  async drop(id: string): Promise<void> {
    if ((await this.state()).active === id) throw new GenerationConflictError(`Generation ${id} is active`);
    this.handles.delete(id);
    for (const name of Object.values(generationCollections(id))) {
      try {
        await this.db.collection(name).drop();
      } catch (error) {
        if (!(error instanceof MongoServerError && (error.code === NAMESPACE_NOT_FOUND || /ns not found/i.test(error.message)))) throw error;
      }
    }
  }

  async close(): Promise<void> {
    await this.ownedClient?.close();
  }
}
