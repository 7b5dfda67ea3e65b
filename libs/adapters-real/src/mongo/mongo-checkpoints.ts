import { Collection, MongoServerError } from 'mongodb';
import { CheckpointFencedError, CheckpointStore, LogPosition } from '@cds/application';
import { connectMongo, MongoConnection } from './mongo-connect';

interface StoredCheckpoint {
  _id: string;
  position: LogPosition;
  /** The fencing token of the lease the last save was made under. */
  token: number;
}

const DUPLICATE_KEY = 11000;
export const DEFAULT_FOLLOWER_CHECKPOINTS_COLLECTION = 'follower_checkpoints';

/**
 * Checkpoints of log followers that write to the log (the unifier), in MongoDB: a save is one
 * conditional upsert that only passes when the saver's fencing token is not older than the last
 * one recorded, so a holder whose lease was taken over cannot move the checkpoint back.
 */
export class MongoCheckpoints implements CheckpointStore {
  constructor(
    private readonly collection: Collection<StoredCheckpoint>,
    private readonly connection?: MongoConnection,
  ) {}

  static async open(url: string, database: string): Promise<MongoCheckpoints> {
    const connection = await connectMongo(url, database);
    return new MongoCheckpoints(connection.db.collection<StoredCheckpoint>(DEFAULT_FOLLOWER_CHECKPOINTS_COLLECTION), connection);
  }

  async load(name: string): Promise<LogPosition | null> {
    return (await this.collection.findOne({ _id: name }))?.position ?? null;
  }

  async save(name: string, position: LogPosition, fencingToken = 0): Promise<void> {
    try {
      await this.collection.updateOne({ _id: name, token: { $lte: fencingToken } }, { $set: { position, token: fencingToken } }, { upsert: true });
    } catch (error) {
      // The document exists with a newer token: the upsert tried to insert a second one.
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw new CheckpointFencedError(name);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.connection?.client.close();
  }
}
