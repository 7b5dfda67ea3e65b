import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore, ReadModelGenerations, SealingEventStore } from '@cds/application';
import { EventLogInUseError, FileEventStore, LOG_FILE_NAME, SqliteReadModelGenerations } from '@cds/adapters-embedded';
import { EsdbEventStore, MongoReadModelGenerations } from '@cds/adapters-real';
import { CdsConfig, embeddedReadModelDirectory, openPersonalData } from '@cds/runtime';
import { AdminClient } from './admin-client';

export const ADMIN_TOKEN_FILE = 'admin.token';

/** The log and read model opened by this process. */
export interface LocalTarget {
  kind: 'local';
  store: EventStore;
  /** The read model's generations: a rebuild fills a new one and switches what the service reads. */
  generations: ReadModelGenerations;
  description: string;
  close(): Promise<void>;
}

/** The running service, through its admin endpoint. */
export interface RemoteTarget {
  kind: 'remote';
  client: AdminClient;
  description: string;
}

export type Target = LocalTarget | RemoteTarget;

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export interface TargetOptions {
  url?: string;
  token?: string;
  env: Record<string, string | undefined>;
}

/**
 * Where a command works. The service's own environment decides: with MongoDB the tool opens the
 * log and the read model itself; on the embedded default it opens a stopped data directory
 * (taking the log's lock), and when the service holds that lock it goes through the service's
 * admin endpoint instead. `--url` (or CDS_ADMIN_URL) always means the admin endpoint.
 */
export async function openTarget(config: CdsConfig, options: TargetOptions): Promise<Target> {
  const url = options.url ?? options.env.CDS_ADMIN_URL;
  if (url) return remote(config, options, url, `the service at ${url}`);

  if (config.readModel.kind === 'embedded') {
    if (config.eventStore.kind !== 'embedded') {
      // The read model is in the service's data directory, which the running service holds.
      return remote(config, options, undefined, 'the running service (its read model is in its data directory)');
    }
    const opened = await openEmbeddedLog(config.eventStore.directory);
    if (opened === 'in-use') return remote(config, options, undefined, 'the running service (it holds the data directory)');
    return localTarget(await sealed(config, opened), () => SqliteReadModelGenerations.open(embeddedReadModelDirectory(config)), `the stopped data directory ${config.dataDir}`);
  }

  let log: EventStore;
  if (config.eventStore.kind === 'embedded') {
    const opened = await openEmbeddedLog(config.eventStore.directory);
    if (opened === 'in-use') return remote(config, options, undefined, 'the running service (it holds the data directory)');
    log = opened;
  } else {
    log = await EsdbEventStore.connect(config.eventStore.url);
  }
  const readModel = config.readModel;
  return localTarget(await sealed(config, log), () => MongoReadModelGenerations.open(readModel.url, readModel.database), `MongoDB database ${readModel.database}`);
}

/** The log and the read model's generations, opened here; the log is closed again if the read model cannot be opened. */
async function localTarget(store: EventStore, openGenerations: () => ReadModelGenerations | Promise<ReadModelGenerations>, description: string): Promise<LocalTarget> {
  let generations: ReadModelGenerations;
  try {
    generations = await openGenerations();
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    kind: 'local',
    store,
    generations,
    description,
    close: async () => {
      await generations.close();
      await store.close();
    },
  };
}

/** The log as the service reads it: personal data opened with the subjects' keys (erased subjects read as erased). */
async function sealed(config: CdsConfig, log: EventStore): Promise<EventStore> {
  let personalData;
  try {
    personalData = await openPersonalData(config);
  } catch (error) {
    await log.close();
    throw error;
  }
  return new SealingEventStore(log, personalData.keys, personalData.store);
}

async function openEmbeddedLog(directory: string): Promise<FileEventStore | 'in-use'> {
  if (!existsSync(join(directory, LOG_FILE_NAME))) {
    throw new TargetError(`No event log in ${directory}: is CDS_DATA_DIR the service's data directory?`);
  }
  try {
    return await FileEventStore.open({ directory });
  } catch (error) {
    if (error instanceof EventLogInUseError) return 'in-use';
    throw error;
  }
}

function remote(config: CdsConfig, options: TargetOptions, url: string | undefined, description: string): RemoteTarget {
  const baseUrl = (url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  return { kind: 'remote', client: new AdminClient(baseUrl, adminToken(config, options)), description };
}

function adminToken(config: CdsConfig, options: TargetOptions): string {
  const given = options.token ?? options.env.CDS_ADMIN_TOKEN?.trim();
  if (given) return given;
  const file = join(config.dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new TargetError(`No admin token: set CDS_ADMIN_TOKEN or pass --token (the service writes one to ${file} when neither is set)`);
}
