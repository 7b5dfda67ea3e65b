import { EventStore, ProfileReadModel } from '@cds/application';
import { FileEventStore, InMemoryProfileReadModel } from '@cds/adapters-embedded';
import { EsdbEventStore, MongoProfileReadModel } from '@cds/adapters-real';
import { CdsConfig } from './cds-config';

export interface Adapters {
  eventStore: EventStore;
  readModel: ProfileReadModel;
}

/** Opens the adapters the configuration names: embedded ones, or real servers. */
export async function openAdapters(config: CdsConfig): Promise<Adapters> {
  const eventStore = await openEventStore(config);
  try {
    return { eventStore, readModel: await openReadModel(config) };
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

export async function openReadModel(config: CdsConfig): Promise<ProfileReadModel> {
  switch (config.readModel.kind) {
    case 'embedded':
      return new InMemoryProfileReadModel();
    case 'mongo': {
      const readModel = await MongoProfileReadModel.open(config.readModel.url, config.readModel.database);
      await readModel.ensureIndexes();
      return readModel;
    }
  }
}
