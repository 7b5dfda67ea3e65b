import { EventStore, ProfileReadModel } from '@cds/application';
import { FileEventStore, InMemoryProfileReadModel } from '@cds/adapters-embedded';
import { CdsConfig, ConfigError } from './cds-config';

export interface Adapters {
  eventStore: EventStore;
  readModel: ProfileReadModel;
}

/** Opens the adapters the configuration names: the embedded ones, or real servers. */
export async function openAdapters(config: CdsConfig): Promise<Adapters> {
  if (config.eventStore.kind !== 'embedded' || config.readModel.kind !== 'embedded') {
    throw new ConfigError('this build runs the embedded adapters only');
  }
  const eventStore = await FileEventStore.open({ directory: config.eventStore.directory });
  return { eventStore, readModel: new InMemoryProfileReadModel() };
}
