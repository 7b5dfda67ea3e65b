import { join } from 'node:path';
import {
  ActiveReadModel,
  CheckpointStore,
  EventStore,
  InMemoryLeaseStore,
  KeyStore,
  LeaseStore,
  ProfileReadModel,
  ReadModelGenerations,
  SealingEventStore,
  SubjectKeys,
} from '@cds/application';
import { FileCheckpoints, FileEventStore, FileKeyStore, SqliteReadModelGenerations } from '@cds/adapters-embedded';
import type { MongoReadModelGenerations } from '@cds/adapters-real';
import { CdsConfig, resolveMasterKeys } from './cds-config';

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
  /** Every subject's data key (erasing a subject destroys its key); the event store seals with them. */
  personalData?: PersonalData;
  /** Leases of single-writer roles: in MongoDB next to the read model, else in this process. */
  leases?: LeaseStore;
}

export interface PersonalData {
  keys: SubjectKeys;
  store: KeyStore;
}

/** What openAdapters opens: everything, none of it optional. */
export type OpenedAdapters = Adapters & Required<Pick<Adapters, 'generations' | 'checkpoints' | 'personalData' | 'leases'>>;

/** Opens the adapters the configuration names: embedded ones, or real servers. */
export async function openAdapters(config: CdsConfig): Promise<OpenedAdapters> {
  const personalData = await openPersonalData(config);
  let log: EventStore | undefined;
  try {
    log = await openEventStore(config);
    const eventStore = new SealingEventStore(log, personalData.keys, personalData.store);
    const generations = await openGenerations(config);
    return {
      eventStore,
      readModel: await ActiveReadModel.open(generations),
      generations,
      checkpoints: await openCheckpoints(config),
      personalData,
      leases: await leaseStoreFor(config, generations),
    };
  } catch (error) {
    await log?.close();
    await personalData.store.close();
    throw error;
  }
}

/** The log itself, as stored: personal data in it is sealed (see SealingEventStore). */
export async function openEventStore(config: CdsConfig): Promise<EventStore> {
  switch (config.eventStore.kind) {
    case 'embedded':
      return FileEventStore.open({ directory: config.eventStore.directory });
    case 'esdb':
      return (await realAdapters()).EsdbEventStore.connect(config.eventStore.url, { logger: console });
  }
}

/**
 * The subjects' data keys under the master key: a key file in the data directory on the embedded
 * default (the master key generated beside it unless CDS_MASTER_KEY is set), a MongoDB collection
 * on the real stack.
 */
export async function openPersonalData(config: CdsConfig): Promise<PersonalData> {
  const masterKeys = await resolveMasterKeys(config.personalData);
  const store: KeyStore =
    config.readModel.kind === 'mongo'
      ? await (await realAdapters()).MongoKeyStore.open(config.readModel.url, config.personalData.keysDatabase ?? config.readModel.database)
      : await FileKeyStore.open({ directory: join(config.dataDir, 'keys') });
  return { keys: new SubjectKeys(store, masterKeys), store };
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

/** Leases live where the read model does: MongoDB shares them between processes; the embedded default has one process. */
export async function leaseStoreFor(config: CdsConfig, generations: ReadModelGenerations): Promise<LeaseStore> {
  if (config.readModel.kind === 'embedded') return new InMemoryLeaseStore();
  return new (await realAdapters()).MongoLeaseStore((generations as MongoReadModelGenerations).db);
}
