import { join } from 'node:path';
import { ActiveReadModel, CheckpointStore, EventStore, ProfileReadModel, ReadModelGenerations } from '@cds/application';
import { FileCheckpoints, FileEventStore, SqliteReadModelGenerations } from '@cds/adapters-embedded';
import { CdsConfig } from './cds-config';

/**
 * The real-server adapters, loaded only when configured: their clients cost the embedded default
 * about 26 MiB of memory at load (the MongoDB driver's BSON buffer alone is 17 MiB).
 */
const realAdapters = () => import('@cds/adapters-real');

export interface Adapters {
  eventStore: EventStore;
  /** What readers use: the active read-model generation (an ActiveReadModel when opened here). */
  readModel: ProfileReadModel;
  /** The read-model generations behind `readModel` (rebuilds fill a new one). */
  generations?: ReadModelGenerations;
  /** Where the unifier keeps how far it got (outside the log it writes to). */
  checkpoints?: CheckpointStore & { close?(): Promise<void> };
}

/** Opens the adapters the configuration names: embedded ones, or real servers. */
export async function openAdapters(config: CdsConfig): Promise<Adapters> {
  const eventStore = await openEventStore(config);
  try {
    const generations = await openGenerations(config);
    return { eventStore, readModel: await ActiveReadModel.open(generations), generations, checkpoints: await openCheckpoints(config) };
  } catch (error) {
    await eventStore.close();
    throw error;
  }
}

export async function openEventStore(config: CdsConfig): Promise<EventStore> {
  switch (config.eventStore.kind) {
    case 'embedded':
      return FileEventStore.open({ directory: config.eventStore.directory });
    case 'esdb':
      return (await realAdapters()).EsdbEventStore.connect(config.eventStore.url, { logger: console });
  }
}

/** Where the embedded read model keeps its SQLite files. */
export const embeddedReadModelDirectory = (config: CdsConfig): string => join(config.dataDir, 'read-model');

/** The read-model generations: SQLite files in the data directory (embedded), or collection sets in MongoDB. */
export async function openGenerations(config: CdsConfig): Promise<ReadModelGenerations> {
  switch (config.readModel.kind) {
    case 'embedded':
      return SqliteReadModelGenerations.open(embeddedReadModelDirectory(config));
    case 'mongo': {
      const generations = await (await realAdapters()).MongoReadModelGenerations.open(config.readModel.url, config.readModel.database);
      try {
        // Creates the active generation's indexes.
        await generations.open((await generations.state()).active);
      } catch (error) {
        await generations.close();
        throw error;
      }
      return generations;
    }
  }
}

/** The read model readers use: the active generation, followed across rebuilds. */
export async function openReadModel(config: CdsConfig): Promise<ActiveReadModel> {
  return ActiveReadModel.open(await openGenerations(config));
}

/** The unifier's checkpoints: a file beside the embedded data, or a MongoDB collection. */
export async function openCheckpoints(config: CdsConfig): Promise<CheckpointStore & { close?(): Promise<void> }> {
  switch (config.readModel.kind) {
    case 'embedded':
      return FileCheckpoints.open(config.dataDir);
    case 'mongo':
      return (await realAdapters()).MongoCheckpoints.open(config.readModel.url, config.readModel.database);
  }
}
