import { Collection, MongoServerError } from 'mongodb';
import { DeadLetter, LogPosition, ProjectionDeadLetters } from '@cds/application';

/** A dead letter as stored: `_id` is the event id, so recording one twice keeps one. */
export interface StoredDeadLetter extends DeadLetter {
  _id: string;
}

export const DEFAULT_DEAD_LETTERS_COLLECTION = 'dead_letters';

const DUPLICATE_KEY = 11000;

/** The projector's dead letters in MongoDB, one collection per read-model generation. */
export class MongoProjectionDeadLetters implements ProjectionDeadLetters {
  constructor(readonly collection: Collection<StoredDeadLetter>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndexes([{ key: { position: 1 }, name: 'position' }]);
  }

  async record(letter: DeadLetter): Promise<void> {
    try {
      await this.collection.insertOne({ _id: letter.event_id, ...letter });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
  }

  async count(): Promise<number> {
    return this.collection.countDocuments({});
  }

  async list(options: { after?: LogPosition; limit: number }): Promise<DeadLetter[]> {
    if (options.limit <= 0) return [];
    const query = options.after === undefined ? {} : { position: { $gt: options.after } };
    const stored = await this.collection.find(query, { sort: { position: 1 }, limit: options.limit }).toArray();
    return stored.map(toLetter);
  }

  async last(): Promise<DeadLetter | null> {
    const [stored] = await this.collection.find({}, { sort: { position: -1 }, limit: 1 }).toArray();
    return stored === undefined ? null : toLetter(stored);
  }
}

function toLetter({ _id: _ignored, ...letter }: StoredDeadLetter): DeadLetter {
  return letter;
}
