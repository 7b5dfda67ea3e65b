/**
 * The embedded key store: one journal file in its own directory, every key in memory, one
 * writer per directory, group-committed.
 *
 * Why a journal of our own rather than SQLite: creating a key sits on the profile-create path,
 * and better-sqlite3 runs every commit's fsync on the event loop. Measured on the 2-core
 * development machine (fdatasync 0.4–0.8 ms, other work running), 20k creates from 32
 * concurrent callers: SQLite in WAL mode with synchronous=FULL, one transaction per event-loop
 * turn, made 26k–50k creates/s with the event loop 100% busy, 20–38 ms of main-thread time per
 * 1000 creates, and every HTTP request waiting behind each fsync; this journal made 18k–47k
 * creates/s with the loop busy 28–46% (10–15 ms per 1000 creates), because its fdatasync runs
 * off the loop and is shared by every create queued meanwhile (the spec counts the flushes).
 *
 * Why deletion is real: destroying a key first appends a tombstone (made durable), then
 * overwrites the key's bytes in the file with zeros and syncs again; re-wrapping appends the new
 * wrapping, then zeros the old one. Recovery at open finishes a zeroing a crash interrupted.
 * Nothing is rewritten wholesale on the hot path, so an erasure costs two flushes whatever the
 * number of keys. When zeroed and superseded records make up most of a large file, open compacts
 * it (a new file written, synced, renamed over the old one, directory synced).
 *
 * Zeros in place remove the key from the file. Whether the disk below also forgets the old bytes
 * depends on it (copy-on-write file systems and SSDs may keep old blocks until reused); what is
 * left there is a wrapped key, useless without the master key: see docs/personal-data.md.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import {
  KeyStore,
  Rewrap,
  StoredSubjectKey,
  SubjectErasedError,
  SubjectKeyRecord,
  WrappedDataKey,
} from '@cds/application';
import { DirectoryLock } from '../event-log/directory-lock';
import { EventLogInUseError } from '../event-log/log-errors';
import { KeyJournalWriter, KeyStoreUnavailableError, type PlacedRecord } from './key-journal-writer';
import { checkRecord, keyRegionLength, RecordKind, type JournalRecord, type KeySlot } from './key-journal-format';
import { loadJournal, type KeyEntry } from './key-journal-recovery';

export const KEY_JOURNAL_FILE = 'subject-keys.journal';
export const KEY_LOCK_FILE = 'keys.lock';

export interface FileKeyStoreOptions {
  /** Created when missing; holds nothing but the key journal and its lock. */
  directory: string;
  /** Flush before acknowledging. Only turn off for throwaway data. */
  fsync?: boolean;
  /** Receives recovery notes such as a cut torn tail. Defaults to process warnings. */
  onWarning?: (message: string) => void;
}

/** A key as held in memory: durable once `durable` settles. */
type Entry = KeyEntry & { durable: Promise<void> };

export class KeyStoreInUseError extends KeyStoreUnavailableError {
  constructor(directory: string, pid: number) {
    super(`Key store directory ${directory} is in use by process ${pid}`);
    this.name = 'KeyStoreInUseError';
  }
}

const DONE = Promise.resolve();

/**
 * The entry with its durability, built as one of two literals: every entry then shares a hidden
 * class, where a spread (`{ ...entry, durable }`) left each of 100k+ entries a class of its own.
 */
function withDurability(entry: KeyEntry, durable: Promise<void>): Entry {
  return entry.state === 'live'
    ? { state: 'live', tenant: entry.tenant, subject: entry.subject, key: entry.key, slot: entry.slot, durable }
    : { state: 'destroyed', tenant: entry.tenant, subject: entry.subject, durable };
}

export class FileKeyStore implements KeyStore {
  private readonly writer: KeyJournalWriter;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly lock: DirectoryLock,
    private readonly entries: Map<string, Entry>,
    end: number,
    fsync: boolean,
  ) {
    this.writer = new KeyJournalWriter(handle, end, fsync);
  }

  static async open(options: FileKeyStoreOptions): Promise<FileKeyStore> {
    const fsync = options.fsync ?? true;
    const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'KeyStoreWarning'));
    await fsp.mkdir(options.directory, { recursive: true, mode: 0o700 });
    const directory = await fsp.realpath(options.directory);
    const lock = await acquireLock(path.join(directory, KEY_LOCK_FILE));
    const file = path.join(directory, KEY_JOURNAL_FILE);
    try {
      const { handle, entries, end } = await loadJournal(file, { fsync, warn });
      const held = new Map<string, Entry>();
      for (const [id, entry] of entries) held.set(id, withDurability(entry, DONE));
      return new FileKeyStore(file, handle, lock, held, end, fsync);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Flushes to stable storage so far; concurrent operations share them. */
  get syncs(): number {
    return this.writer.syncs;
  }

  async create(tenant: string, subject: string, key: WrappedDataKey): Promise<WrappedDataKey> {
    this.assertOpen();
    const id = entryId(tenant, subject);
    const existing = this.entries.get(id);
    if (existing?.state === 'destroyed') throw new SubjectErasedError(tenant, subject);
    if (existing) {
      await existing.durable;
      return copyKey(existing.key);
    }
    const stored = copyKey(key);
    const slot: KeySlot = { offset: -1, length: keyRegionLength(stored.wrapped) };
    const durable = this.submit([{ record: keyRecord(tenant, subject, stored), slot }], []);
    this.entries.set(id, { state: 'live', tenant, subject, key: stored, slot, durable });
    await durable;
    return copyKey(stored);
  }

  async get(tenant: string, subject: string): Promise<StoredSubjectKey | null> {
    this.assertOpen();
    const entry = this.entries.get(entryId(tenant, subject));
    if (!entry) return null;
    await entry.durable;
    return entry.state === 'live' ? { state: 'live', key: copyKey(entry.key) } : { state: 'destroyed' };
  }

  async getMany(tenant: string, subjects: readonly string[]): Promise<Map<string, StoredSubjectKey>> {
    const found = new Map<string, StoredSubjectKey>();
    for (const subject of subjects) {
      const stored = await this.get(tenant, subject);
      if (stored) found.set(subject, stored);
    }
    return found;
  }

  async destroy(tenant: string, subjects: readonly string[]): Promise<void> {
    this.assertOpen();
    const records: PlacedRecord[] = [];
    const zero: KeySlot[] = [];
    const waits: Promise<void>[] = [];
    const destroyed: string[] = [];
    for (const subject of new Set(subjects)) {
      const id = entryId(tenant, subject);
      const existing = this.entries.get(id);
      if (existing?.state === 'destroyed') {
        waits.push(existing.durable);
        continue;
      }
      records.push({ record: checkRecord({ kind: RecordKind.Tombstone, tenant, subject, masterKeyId: 0, wrapped: Buffer.alloc(0) }) });
      if (existing) zero.push(existing.slot);
      destroyed.push(subject);
    }
    if (records.length > 0) {
      const durable = this.submit(records, zero);
      for (const subject of destroyed) {
        const id = entryId(tenant, subject);
        const previous = this.entries.get(id);
        this.entries.set(id, { state: 'destroyed', tenant, subject, durable });
        // The in-memory copy goes once the file's copy is gone.
        if (previous?.state === 'live') void durable.then(() => previous.key.wrapped.fill(0), () => undefined);
      }
      waits.push(durable);
    }
    await Promise.all(waits);
  }

  async listWrappedOtherThan(masterKeyId: number, limit: number): Promise<SubjectKeyRecord[]> {
    this.assertOpen();
    const records: SubjectKeyRecord[] = [];
    for (const entry of this.entries.values()) {
      if (records.length >= limit) break;
      if (entry.state !== 'live' || entry.key.masterKeyId === masterKeyId) continue;
      await entry.durable;
      records.push({ tenant: entry.tenant, subject: entry.subject, key: copyKey(entry.key) });
    }
    return records;
  }

  async rewrap(changes: readonly Rewrap[]): Promise<number> {
    this.assertOpen();
    const records: PlacedRecord[] = [];
    const zero: KeySlot[] = [];
    const updates = new Map<string, Extract<KeyEntry, { state: 'live' }>>();
    for (const change of changes) {
      const id = entryId(change.tenant, change.subject);
      const existing = updates.get(id) ?? this.entries.get(id);
      if (existing?.state !== 'live' || existing.key.masterKeyId !== change.fromMasterKeyId) continue;
      const key = copyKey(change.key);
      const slot: KeySlot = { offset: -1, length: keyRegionLength(key.wrapped) };
      records.push({ record: keyRecord(change.tenant, change.subject, key), slot });
      zero.push(existing.slot);
      updates.set(id, { state: 'live', tenant: existing.tenant, subject: existing.subject, key, slot });
    }
    if (records.length === 0) return 0;
    const durable = this.submit(records, zero);
    for (const [id, entry] of updates) this.entries.set(id, withDurability(entry, durable));
    await durable;
    return records.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.idle();
    await this.handle.close();
    await this.lock.release();
  }

  private submit(records: PlacedRecord[], zero: KeySlot[]): Promise<void> {
    const durable = new Promise<void>((resolve, reject) => this.writer.submit({ records, zero, resolve, reject }));
    // Awaited by the caller; an unawaited copy of a failure must not crash the process.
    durable.catch(() => undefined);
    return durable;
  }

  private assertOpen(): void {
    if (this.closed) throw new KeyStoreUnavailableError('The key store is closed');
    if (this.writer.failed) throw this.writer.failed;
  }
}

/** Callers get copies: the store wipes its own when a key is destroyed. */
const copyKey = (key: WrappedDataKey): WrappedDataKey => ({ masterKeyId: key.masterKeyId, wrapped: Buffer.from(key.wrapped) });

const entryId = (tenant: string, subject: string) => `${tenant}\n${subject}`;

const keyRecord = (tenant: string, subject: string, key: WrappedDataKey): JournalRecord =>
  checkRecord({ kind: RecordKind.Key, tenant, subject, masterKeyId: key.masterKeyId, wrapped: key.wrapped });

async function acquireLock(file: string): Promise<DirectoryLock> {
  try {
    return await DirectoryLock.acquire(file);
  } catch (error) {
    if (error instanceof EventLogInUseError) throw new KeyStoreInUseError(error.directory, error.pid);
    throw error;
  }
}
