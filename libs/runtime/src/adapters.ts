import { ActiveReadModel, CheckpointStore, EventStore, InMemoryLeaseStore, LeaseStore, ProfileReadModel, ReadModelGenerations } from '@cds/application';
import { FileCheckpoints, FileEventStore, InMemoryReadModelGenerations } from '@cds/adapters-embedded';
import { EsdbEventStore, MongoCheckpoints, MongoLeaseStore, MongoReadModelGenerations } from '@cds/adapters-real';
import { CdsConfig } from './cds-config';

export interface Adapters {
  eventStore: EventStore;
  /** What readers use: the active read-model generation (an ActiveReadModel when opened here). */
  readModel: ProfileReadModel;
  /** The read-model generations behind `readModel` (rebuilds fill a new one). */
  generations?: ReadModelGenerations;
  /** Where the unifier keeps how far it got (outside the log it writes to). */
  checkpoints?: CheckpointStore & { close?(): Promise<void> };
  /** Leases of single-writer roles: in MongoDB next to the read model, else in this process. */
  leases?: LeaseStore;
}

/** Opens the adapters the configuration names: embedded ones, or real servers. */
export async function openAdapters(config: CdsConfig): Promise<Adapters> {
  const eventStore = await openEventStore(config);
  try {
    const generations = await openGenerations(config);
    return {
      eventStore,
      readModel: await ActiveReadModel.open(generations),
      generations,
      checkpoints: await openCheckpoints(config),
      leases: leaseStoreFor(generations),
    };
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
      return EsdbEventStore.connect(config.eventStore.url, { logger: console });
  }
}

/** The read-model generations: in this process (embedded), or collection sets in MongoDB. */
export async function openGenerations(config: CdsConfig): Promise<ReadModelGenerations> {
  switch (config.readModel.kind) {
    case 'embedded':
      return new InMemoryReadModelGenerations();
    case 'mongo': {
      const generations = await MongoReadModelGenerations.open(config.readModel.url, config.readModel.database);
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
      return MongoCheckpoints.open(config.readModel.url, config.readModel.database);
  }
}

/** Leases live where the read model does: MongoDB shares them between processes; the embedded default has one process. */
export function leaseStoreFor(generations: ReadModelGenerations): LeaseStore {
  return generations instanceof MongoReadModelGenerations ? new MongoLeaseStore(generations.db) : new InMemoryLeaseStore();
}
