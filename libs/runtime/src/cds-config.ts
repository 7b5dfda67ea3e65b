import { join, resolve } from 'node:path';
import { MasterKeyError, MasterKeys, masterKeys, parseMasterKey } from '@cds/application';
import { loadOrCreateMasterKeyFile, MASTER_KEY_FILE } from '@cds/adapters-embedded';

/** Everything the service reads from its environment, validated once at start. */
export interface CdsConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore: { kind: 'embedded'; directory: string } | { kind: 'esdb'; url: string };
  readModel: { kind: 'embedded' } | { kind: 'mongo'; url: string; database: string };
  /** in-process: this process folds the log into the read model (required for the embedded read model). */
  projector: 'in-process' | 'external';
  /**
   * in-process: this process takes a share of the unifier's partitions (leases decide which, so
   * any number of processes may); external: it takes none and waits on the checkpoints of the
   * processes that do.
   */
  unifier: 'in-process' | 'external';
  /** Tenants are spread over this many partitions, each unified by one process at a time. */
  unifierPartitions: number;
  /**
   * The tenants this deployment serves, when several deployments share one event log: its
   * unifier leaves other tenants' events alone. Null: every tenant in the log.
   */
  unifierTenants: string[] | null;
  kafka: KafkaConfig | null;
  auth: AuthConfig;
  bodyLimitBytes: number;
  /** Operators' endpoints (`/admin/…`): the bearer token, or null to use the one generated into the data directory. */
  admin: { token: string | null };
  /** What the projector does with an event it cannot fold: record it and skip it, or halt there. */
  projectorOnPoison: 'skip' | 'halt';
  personalData: PersonalDataConfig;
  /** How the live projection runs, wherever it runs (projector app, or the command API on the embedded default). */
  projection: ProjectionConfig;
}

/** The master key that wraps every subject's data key. */
export interface PersonalDataConfig {
  /** From CDS_MASTER_KEY, with CDS_MASTER_KEY_PREVIOUS accepted for unwrapping only; null: use `masterKeyFile`. */
  masterKeys: MasterKeys | null;
  /** Generated on first start when no key is configured (the embedded default). */
  masterKeyFile: string;
  /** With MongoDB: the database of the key store (its own access rights and backups), the read model's by default. */
  keysDatabase: string | null;
}

export interface ProjectionConfig {
  /** Partitions by profile-stream hash, each with its own checkpoint, shared by the projector instances through leases. */
  partitions: number;
  /** Most events folded into one read-model write. */
  batchSize: number;
  onPoison: 'skip' | 'halt';
  /** A dead projector's partitions are taken over after at most this. */
  leaseTtlMs: number;
  /** How often leases are renewed and free partitions looked for. */
  leaseIntervalMs: number;
}

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  groupId: string;
  activityTopic: string;
  identityTopic: string;
  deadLetterTopic: string;
  /** The dead-letter topic holds raw messages (personal data): it keeps them this long. */
  deadLetterRetentionMs: number;
}

export interface AuthConfig {
  /** The built-in client-credentials issuer (embedded default); null when tokens come from elsewhere. */
  devClient: { clientId: string; clientSecret: string } | null;
  jwksUrl: string | null;
  jwtIssuer: string | null;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(`Configuration: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): CdsConfig {
  const dataDir = resolve(env.CDS_DATA_DIR || './data');
  const eventStoreUrl = env.CDS_EVENTSTORE_URL?.trim();
  const mongoUrl = env.CDS_MONGO_URL?.trim();
  const readModel: CdsConfig['readModel'] = mongoUrl
    ? { kind: 'mongo', url: checkUrl('CDS_MONGO_URL', mongoUrl, ['mongodb:', 'mongodb+srv:']), database: env.CDS_MONGO_DATABASE || 'cds' }
    : { kind: 'embedded' };
  const projector = parseProjector(env.CDS_PROJECTOR, readModel.kind);
  return {
    port: parsePort(env.CDS_PORT ?? '8080'),
    host: env.CDS_HOST || '0.0.0.0',
    dataDir,
    eventStore: eventStoreUrl
      ? { kind: 'esdb', url: checkUrl('CDS_EVENTSTORE_URL', eventStoreUrl, ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kdb:']) }
      : { kind: 'embedded', directory: resolve(dataDir, 'log') },
    readModel,
    projector,
    unifier: parseUnifier(env.CDS_UNIFIER, eventStoreUrl ? 'esdb' : 'embedded'),
    unifierTenants: parseTenantList(env.CDS_UNIFIER_TENANTS),
    unifierPartitions: parseUnifierPartitions(env),
    kafka: parseKafka(env),
    auth: parseAuth(env),
    bodyLimitBytes: 1024 * 1024,
    admin: { token: parseAdminToken(env.CDS_ADMIN_TOKEN) },
    projectorOnPoison: parseOnPoison(env.CDS_PROJECTOR_ON_POISON),
    personalData: {
      masterKeys: parseMasterKeys(env, eventStoreUrl ? 'required' : 'optional'),
      masterKeyFile: join(dataDir, MASTER_KEY_FILE),
      keysDatabase: readModel.kind === 'mongo' ? env.CDS_MONGO_KEYS_DATABASE?.trim() || readModel.database : null,
    },
    projection: parseProjection(env),
  };
}

/**
 * `required` with EventStoreDB: every process on the log (API replicas, projectors, the unifier)
 * must unwrap the same keys, which a key generated into each one's data directory would not.
 */
function parseMasterKeys(env: Env, need: 'required' | 'optional'): MasterKeys | null {
  const current = env.CDS_MASTER_KEY?.trim();
  const previous = (env.CDS_MASTER_KEY_PREVIOUS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  if (!current && need === 'required') {
    throw new ConfigError('CDS_MASTER_KEY is required with CDS_EVENTSTORE_URL: every process on the log must use the same one (32 random bytes in base64: openssl rand -base64 32)');
  }
  if (!current) {
    if (previous.length > 0) throw new ConfigError('CDS_MASTER_KEY_PREVIOUS needs CDS_MASTER_KEY, the key that replaces it');
    return null;
  }
  try {
    return masterKeys(parseMasterKey('CDS_MASTER_KEY', current), previous.map((key) => parseMasterKey('CDS_MASTER_KEY_PREVIOUS', key)));
  } catch (error) {
    if (error instanceof MasterKeyError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * The configured master keys, or the one generated into the data directory. Every process that
 * shares a key store (the projector app, replicas of the API) must see the same key: configure
 * CDS_MASTER_KEY for them rather than rely on a generated file.
 */
export async function resolveMasterKeys(config: PersonalDataConfig): Promise<MasterKeys> {
  return config.masterKeys ?? masterKeys(await loadOrCreateMasterKeyFile(config.masterKeyFile));
}

function parseProjection(env: Env): ProjectionConfig {
  const leaseTtlMs = wholeNumber(env, 'CDS_PROJECTOR_LEASE_TTL_MS', 3000, 1000, 600_000);
  return {
    partitions: wholeNumber(env, 'CDS_PROJECTOR_PARTITIONS', 1, 1, 256),
    batchSize: wholeNumber(env, 'CDS_PROJECTOR_BATCH_SIZE', 1000, 1, 100_000),
    onPoison: parseOnPoison(env.CDS_PROJECTOR_ON_POISON),
    leaseTtlMs,
    // Three renewals per lease lifetime: one missed renewal costs nothing.
    leaseIntervalMs: Math.max(200, Math.floor(leaseTtlMs / 3)),
  };
}

function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function parseAdminToken(raw: string | undefined): string | null {
  const token = raw?.trim();
  if (!token) return null;
  if (!/^[\x21-\x7e]{16,256}$/.test(token)) throw new ConfigError('CDS_ADMIN_TOKEN must be 16 to 256 visible ASCII characters');
  return token;
}

function parseOnPoison(raw: string | undefined): 'skip' | 'halt' {
  const value = raw?.trim() || 'skip';
  if (value !== 'skip' && value !== 'halt') throw new ConfigError(`CDS_PROJECTOR_ON_POISON must be skip or halt, got "${value}"`);
  return value;
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`CDS_PORT must be a port number, got "${raw}"`);
  return port;
}

function checkUrl(name: string, raw: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${raw}"`);
  }
  return raw;
}

function parseProjector(raw: string | undefined, readModel: 'embedded' | 'mongo'): 'in-process' | 'external' {
  const value = raw || (readModel === 'embedded' ? 'in-process' : 'external');
  if (value !== 'in-process' && value !== 'external') throw new ConfigError(`CDS_PROJECTOR must be in-process or external, got "${value}"`);
  if (value === 'external' && readModel === 'embedded') {
    throw new ConfigError('the embedded read model lives in this process, so CDS_PROJECTOR must be in-process');
  }
  return value;
}

function parseUnifier(raw: string | undefined, log: 'embedded' | 'esdb'): 'in-process' | 'external' {
  const value = raw?.trim() || 'in-process';
  if (value !== 'in-process' && value !== 'external') throw new ConfigError(`CDS_UNIFIER must be in-process or external, got "${value}"`);
  if (value === 'external' && log === 'embedded') {
    throw new ConfigError('the embedded log belongs to this process, so CDS_UNIFIER must be in-process');
  }
  return value;
}

/** Tenants are spread over this many partitions, each unified by one process at a time. */
function parseUnifierPartitions(env: Env): number {
  const partitions = wholeNumber(env, 'CDS_UNIFIER_PARTITIONS', 1, 1, 256);
  if (partitions > 1 && env.CDS_UNIFIER_TENANTS?.trim()) throw new ConfigError('CDS_UNIFIER_TENANTS runs one partition: leave CDS_UNIFIER_PARTITIONS unset');
  return partitions;
}

function parseTenantList(raw: string | undefined): string[] | null {
  const tenants = (raw ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tenants.length === 0) return null;
  for (const tenant of tenants) {
    if (!/^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/.test(tenant)) throw new ConfigError(`CDS_UNIFIER_TENANTS lists "${tenant}", which is not an organization handle`);
  }
  return tenants;
}

/** Seven days unless configured: long enough to look at a dead letter, short of a typical erasure deadline. */
const DEFAULT_DEAD_LETTER_RETENTION_MS = 7 * 24 * 3600 * 1000;

function parseRetention(raw: string | undefined): number {
  const value = raw?.trim();
  if (!value) return DEFAULT_DEAD_LETTER_RETENTION_MS;
  if (!/^\d{1,15}$/.test(value) || Number(value) < 60_000) throw new ConfigError(`CDS_KAFKA_DEAD_LETTER_RETENTION_MS must be a number of milliseconds of at least 60000, got "${value}"`);
  return Number(value);
}

function parseKafka(env: Env): KafkaConfig | null {
  const brokers = env.CDS_KAFKA_BROKERS?.trim();
  if (!brokers) return null;
  const list = brokers.split(',').map((b) => b.trim()).filter(Boolean);
  for (const broker of list) {
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(broker)) throw new ConfigError(`CDS_KAFKA_BROKERS entries are host:port, got "${broker}"`);
  }
  return {
    brokers: list,
    clientId: env.CDS_KAFKA_CLIENT_ID || 'cds-command-api',
    groupId: env.CDS_KAFKA_GROUP_ID || 'cds-command-api',
    activityTopic: env.CDS_KAFKA_ACTIVITY_TOPIC || 'cds.activity',
    identityTopic: env.CDS_KAFKA_IDENTITY_TOPIC || 'cds.identity',
    deadLetterTopic: env.CDS_KAFKA_DEAD_LETTER_TOPIC || 'cds.activity.dlq',
    deadLetterRetentionMs: parseRetention(env.CDS_KAFKA_DEAD_LETTER_RETENTION_MS),
  };
}

function parseAuth(env: Env): AuthConfig {
  const jwksUrl = env.CDS_JWKS_URL?.trim() || null;
  if (jwksUrl) checkUrl('CDS_JWKS_URL', jwksUrl, ['https:', 'http:']);
  const clientId = env.CDS_DEV_CLIENT_ID?.trim();
  const clientSecret = env.CDS_DEV_CLIENT_SECRET?.trim();
  if ((clientId && !clientSecret) || (!clientId && clientSecret)) {
    throw new ConfigError('set both CDS_DEV_CLIENT_ID and CDS_DEV_CLIENT_SECRET, or neither');
  }
  // Without a JWKS URL the built-in issuer is the only way in, so it gets a well-known dev client.
  const devClient =
    clientId && clientSecret
      ? { clientId, clientSecret }
      : jwksUrl
        ? null
        : { clientId: 'cds-dev-client', clientSecret: 'cds-dev-secret' };
  return { devClient, jwksUrl, jwtIssuer: env.CDS_JWT_ISSUER?.trim() || null };
}

/** The live read model's checkpoint: the projector app writes it, the command API waits on it. */
export const LIVE_CHECKPOINT = 'unified-profiles';
