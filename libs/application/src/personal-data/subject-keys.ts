/**
 * Crypto-shredding: every subject (a profile) has its own random AES-256 data key; its personal
 * data is stored only sealed with that key, and erasing the subject destroys the key. The keys
 * live wrapped in a `KeyStore`; unwrapped ones are kept in a bounded cache so that hot subjects
 * cost no store read and no unwrap.
 */
import { createHmac, KeyObject } from 'node:crypto';
import { validationError } from '@cds/domain';
import { assertTenant } from '../streams/stream-names';
import { BoundedCache } from './bounded-cache';
import { KeyStore, Rewrap, StoredSubjectKey, SubjectErasedError, WrappedDataKey } from './key-store.port';
import { MasterKeyError, MasterKeys } from './master-keys';
import { associatedData, open, PURPOSE, seal, SealedPayloadError } from './sealed-payload';
import { hex, WrappingKeys } from './wrapping-keys';

export interface SubjectRef {
  readonly tenant: string;
  readonly subject: string;
}

/** A sealed payload opened: its value, or `erased` when the subject's key was destroyed. */
export type OpenedPayload<T = unknown> = { readonly status: 'open'; readonly value: T } | { readonly status: 'erased' };

export interface SubjectKeysOptions {
  /** Unwrapped keys kept in memory. */
  cacheSize?: number;
  /**
   * How long a cached key is used before the store is asked again. Another process may destroy a
   * key; this bounds how long this one still opens the subject's payloads with its copy.
   */
  maxAgeMs?: number;
  /** Milliseconds, for the cache's age. */
  now?: () => number;
}

/** A payload is sealed for a subject the key store has no key for: the store is not the one the log was written with. */
export class SubjectKeyMissingError extends Error {
  constructor(
    readonly tenant: string,
    readonly subject: string,
  ) {
    super(`The key store holds no data key for ${tenant}/${subject}: is it the key store this log was written with?`);
    this.name = 'SubjectKeyMissingError';
  }
}

type CachedKey = { readonly state: 'live'; readonly key: KeyObject; readonly aad: Buffer; readonly loadedAt: number } | { readonly state: 'destroyed' };

const DEFAULTS = { cacheSize: 50_000, maxAgeMs: 60_000 };
/** The tenant's key for keyed names lives in the store under a subject no profile id can be. */
const NAMES_SUBJECT = '~names';
const SUBJECT = /^[^~\n][^\n]{0,254}$/;
const GET_MANY_CHUNK = 1000;
const REWRAP_BATCH = 10_000;

export class SubjectKeys {
  private readonly wrapping: WrappingKeys;
  private readonly cache: BoundedCache<CachedKey>;
  private readonly loading = new Map<string, Promise<CachedKey | null>>();
  private readonly nameKeys = new Map<string, Promise<KeyObject>>();
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: KeyStore,
    masterKeys: MasterKeys,
    options: SubjectKeysOptions = {},
  ) {
    this.wrapping = new WrappingKeys(masterKeys);
    this.cache = new BoundedCache(options.cacheSize ?? DEFAULTS.cacheSize);
    this.maxAgeMs = options.maxAgeMs ?? DEFAULTS.maxAgeMs;
    this.now = options.now ?? Date.now;
  }

  /** Seals a JSON value for the subject, creating its key (durably) on first use. */
  async seal(tenant: string, subject: string, value: unknown): Promise<string> {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError('Only JSON values can be sealed');
    const entry = await this.keyForWriting(tenant, checkSubject(subject));
    return seal(entry.key, entry.aad, Buffer.from(text, 'utf8')).toString('base64');
  }

  async open<T = unknown>(tenant: string, subject: string, sealed: string): Promise<OpenedPayload<T>> {
    const entry = await this.keyForReading(tenant, checkSubject(subject));
    return openWith(entry, tenant, subject, sealed);
  }

  /**
   * Loads the keys of many subjects at once (one store read per thousand missing ones) and
   * returns an opener that holds them: folding a page of events then opens each payload without
   * waiting on anything.
   */
  async openerFor(refs: Iterable<SubjectRef>): Promise<PayloadOpener> {
    const pinned = new Map<string, CachedKey | null>();
    const missing = new Map<string, Set<string>>();
    for (const { tenant, subject } of refs) {
      const id = cacheId(tenant, subject);
      if (pinned.has(id) || missing.get(tenant)?.has(subject)) continue;
      const cached = this.fresh(id);
      if (cached) pinned.set(id, cached);
      else addSubject(missing, tenant, subject);
    }
    for (const [tenant, subject, stored] of await this.readStore(missing)) {
      pinned.set(cacheId(tenant, subject), stored ? this.remember(tenant, subject, stored) : null);
    }
    return new PayloadOpener(pinned);
  }

  /**
   * For opening on another thread: the subjects' keys as the store holds them, still wrapped
   * (`destroyed` for an erased subject; absent when the store has none), by `subjectId`. Read from
   * the store, not the cache, so an erasure by any process is seen; nothing is unwrapped here.
   */
  async storedKeysFor(refs: Iterable<SubjectRef>): Promise<Map<string, StoredSubjectKey>> {
    const wanted = new Map<string, Set<string>>();
    // A page names few subjects many times: each is checked once.
    for (const { tenant, subject } of refs) if (!wanted.get(tenant)?.has(subject)) addSubject(wanted, tenant, subject);
    const stored = new Map<string, StoredSubjectKey>();
    for (const [tenant, subject, key] of await this.readStore(wanted)) if (key) stored.set(subjectId(tenant, subject), key);
    return stored;
  }

  /** The tenant key that unwraps a stored data key (see `storedKeysFor`); a `MasterKeyError` when its master key is not configured. */
  unwrappingKey(tenant: string, subject: string, key: WrappedDataKey): KeyObject {
    return this.wrapping.unwrappingKey(tenant, subject, key);
  }

  /** Destroys the subjects' keys: everything ever sealed for them becomes unreadable, here and in every copy of the log. */
  async erase(tenant: string, subjects: readonly string[]): Promise<void> {
    assertTenant(tenant);
    subjects.forEach(checkSubject);
    await this.store.destroy(tenant, subjects);
    for (const subject of subjects) this.cache.set(cacheId(tenant, subject), { state: 'destroyed' });
  }

  /** Drops cached keys, so the next use asks the store (which knows when another process destroyed them). */
  forget(tenant: string, subjects: readonly string[]): void {
    for (const subject of subjects) this.cache.delete(cacheId(tenant, subject));
  }

  /**
   * A name that stands for `value` without revealing it: HMAC-SHA256 under the tenant's name
   * key, in hex. The name key is random, kept wrapped in the key store like a data key, so names
   * stay the same when the master key rotates; without it a name cannot be tested against
   * guessed values.
   */
  async keyedName(tenant: string, purpose: string, value: string): Promise<string> {
    if (purpose.length === 0 || purpose.includes('\n')) throw new RangeError('A keyed name purpose is a non-empty line');
    const key = await this.nameKey(tenant);
    return createHmac('sha256', key).update(`${purpose}\n${value}`, 'utf8').digest('hex');
  }

  /**
   * Re-wraps every data key still wrapped under a previous master key under the current one,
   * in batches. Afterwards the previous master keys can be dropped from the configuration.
   */
  async rewrapAll(options: { batchSize?: number } = {}): Promise<{ rewrapped: number }> {
    const batchSize = options.batchSize ?? REWRAP_BATCH;
    let rewrapped = 0;
    let idleRounds = 0;
    for (;;) {
      const records = await this.store.listWrappedOtherThan(this.wrapping.currentId, batchSize);
      if (records.length === 0) return { rewrapped };
      const changes: Rewrap[] = records.map(({ tenant, subject, key }) => {
        const secret = this.wrapping.unwrapSecret(tenant, subject, key);
        try {
          return { tenant, subject, fromMasterKeyId: key.masterKeyId, key: this.wrapping.wrap(tenant, subject, secret) };
        } finally {
          secret.fill(0);
        }
      });
      const replaced = await this.store.rewrap(changes);
      rewrapped += replaced;
      // Nothing replaced means every listed key changed meanwhile; twice in a row means the store disagrees with itself.
      idleRounds = replaced === 0 ? idleRounds + 1 : 0;
      if (idleRounds === 2) throw new MasterKeyError(`Re-wrapping made no progress under master key ${hex(this.wrapping.currentId)}`);
    }
  }

  private nameKey(tenant: string): Promise<KeyObject> {
    let key = this.nameKeys.get(tenant);
    if (!key) {
      key = this.load(assertTenant(tenant), NAMES_SUBJECT, 'create').then((entry) => {
        if (entry?.state !== 'live') throw new Error(`The name key of tenant ${tenant} is gone from the key store`);
        return entry.key;
      });
      key.catch(() => this.nameKeys.delete(tenant));
      this.nameKeys.set(tenant, key);
    }
    return key;
  }

  /** The stored keys of the subjects, one store read per thousand of a tenant. */
  private async readStore(subjectsByTenant: Map<string, Set<string>>): Promise<Array<[string, string, StoredSubjectKey | undefined]>> {
    const read: Array<[string, string, StoredSubjectKey | undefined]> = [];
    for (const [tenant, set] of subjectsByTenant) {
      const subjects = [...set];
      for (let start = 0; start < subjects.length; start += GET_MANY_CHUNK) {
        const chunk = subjects.slice(start, start + GET_MANY_CHUNK);
        const found = await this.store.getMany(tenant, chunk);
        for (const subject of chunk) read.push([tenant, subject, found.get(subject)]);
      }
    }
    return read;
  }

  private async keyForWriting(tenant: string, subject: string): Promise<Extract<CachedKey, { state: 'live' }>> {
    const entry = this.fresh(cacheId(tenant, subject)) ?? (await this.load(assertTenant(tenant), subject, 'create'));
    if (entry?.state !== 'live') throw new SubjectErasedError(tenant, subject);
    return entry;
  }

  private async keyForReading(tenant: string, subject: string): Promise<CachedKey | null> {
    return this.fresh(cacheId(tenant, subject)) ?? (await this.load(assertTenant(tenant), subject, 'read'));
  }

  /** A cached entry still young enough to trust; a destroyed key never comes back, so that one always is. */
  private fresh(id: string): CachedKey | undefined {
    const entry = this.cache.get(id);
    if (entry?.state === 'live' && this.now() - entry.loadedAt >= this.maxAgeMs) return undefined;
    return entry;
  }

  /** One store round trip per subject and mode at a time, however many callers wait on it. */
  private load(tenant: string, subject: string, mode: 'read' | 'create'): Promise<CachedKey | null> {
    const id = `${mode}\n${cacheId(tenant, subject)}`;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.fetch(tenant, subject, mode).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  private async fetch(tenant: string, subject: string, mode: 'read' | 'create'): Promise<CachedKey | null> {
    const stored = await this.store.get(tenant, subject);
    if (stored) return this.remember(tenant, subject, stored);
    if (mode === 'read') return null;
    const key = await this.store.create(tenant, subject, this.wrapping.newDataKey(tenant, subject));
    return this.remember(tenant, subject, { state: 'live', key });
  }

  private remember(tenant: string, subject: string, stored: StoredSubjectKey): CachedKey {
    const entry: CachedKey =
      stored.state === 'destroyed'
        ? { state: 'destroyed' }
        : { state: 'live', key: this.wrapping.unwrap(tenant, subject, stored.key), aad: payloadAad(tenant, subject), loadedAt: this.now() };
    this.cache.set(cacheId(tenant, subject), entry);
    return entry;
  }
}

/** Opens payloads of the subjects it was made for, synchronously. */
export class PayloadOpener {
  constructor(private readonly keys: ReadonlyMap<string, CachedKey | null>) {}

  open<T = unknown>(tenant: string, subject: string, sealed: string): OpenedPayload<T> {
    return openWith(this.entry(tenant, subject), tenant, subject, sealed);
  }

  /** Whether the subject's key was destroyed; a subject with no key at all is an error, as in `open`. */
  isErased(tenant: string, subject: string): boolean {
    const entry = this.entry(tenant, subject);
    if (entry === null) throw new SubjectKeyMissingError(tenant, subject);
    return entry.state === 'destroyed';
  }

  private entry(tenant: string, subject: string): CachedKey | null {
    const entry = this.keys.get(cacheId(tenant, subject));
    if (entry === undefined) throw new RangeError(`${tenant}/${subject} was not among the subjects this opener was made for`);
    return entry;
  }
}

function openWith<T>(entry: CachedKey | null, tenant: string, subject: string, sealed: string): OpenedPayload<T> {
  if (entry === null) throw new SubjectKeyMissingError(tenant, subject);
  if (entry.state === 'destroyed') return ERASED;
  if (typeof sealed !== 'string') throw new SealedPayloadError(`A sealed payload is base64 text, got ${typeof sealed}`);
  const plain = open(entry.key, entry.aad, Buffer.from(sealed, 'base64'));
  return { status: 'open', value: JSON.parse(plain.toString('utf8')) as T };
}

const ERASED = Object.freeze({ status: 'erased' as const });

/** One name for a subject of a tenant (neither holds a line break). */
export const subjectId = (tenant: string, subject: string) => `${tenant}\n${subject}`;

const cacheId = subjectId;

function addSubject(byTenant: Map<string, Set<string>>, tenant: string, subject: string): void {
  const subjects = byTenant.get(assertTenant(tenant)) ?? new Set();
  byTenant.set(tenant, subjects.add(checkSubject(subject)));
}

const payloadAad = (tenant: string, subject: string) => associatedData(PURPOSE.payload, tenant, subject);

function checkSubject(subject: string): string {
  if (typeof subject !== 'string' || !SUBJECT.test(subject)) {
    throw validationError('invalid_subject', 'A subject is a profile id: 1 to 255 characters on one line, not starting with "~"');
  }
  return subject;
}
