/**
 * Opening the key journal: read every batch, cut a torn tail, finish any zeroing a crash
 * interrupted, and compact the file when most of it is dead (zeroed or superseded keys).
 * Runs once, before the store serves anything.
 */
import { constants as fsConstants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { WrappedDataKey } from '@cds/application';
import { encodeBatch, RecordKind, scanJournal, type JournalRecord, type KeySlot, type ParsedRecord } from './key-journal-format';
import { KeyStoreUnavailableError } from './key-journal-writer';
import { syncDirectory } from './sync-directory';

export type KeyEntry =
  | { readonly state: 'live'; readonly tenant: string; readonly subject: string; readonly key: WrappedDataKey; readonly slot: KeySlot }
  | { readonly state: 'destroyed'; readonly tenant: string; readonly subject: string };

/** Damage to acknowledged keys: opening refuses rather than lose them; an operator has to look. */
export class KeyJournalCorruptionError extends KeyStoreUnavailableError {
  constructor(file: string, offset: number, detail: string) {
    super(`Key journal ${file} is corrupt at byte ${offset}: ${detail}`);
    this.name = 'KeyJournalCorruptionError';
  }
}

const COMPACT_ABOVE_BYTES = 1024 * 1024;
const COMPACT_BATCH_RECORDS = 50_000;

interface Replayed {
  readonly entries: Map<string, KeyEntry>;
  /** Key regions still holding bytes of keys that were destroyed or replaced. */
  readonly toZero: KeySlot[];
  /** Bytes of records that are no longer the subject's key. */
  readonly deadBytes: number;
}

export async function loadJournal(
  file: string,
  options: { fsync: boolean; warn: (message: string) => void },
): Promise<{ handle: FileHandle; entries: Map<string, KeyEntry>; end: number }> {
  await fsp.rm(compactionFile(file), { force: true });
  const handle = await fsp.open(file, fsConstants.O_RDWR | fsConstants.O_CREAT, 0o600);
  try {
    const { size } = await handle.stat();
    if (size === 0 && options.fsync) await syncDirectory(path.dirname(file));
    const bytes = Buffer.alloc(size);
    if (size > 0) await handle.read(bytes, 0, size, 0);
    const scan = scanJournal(bytes);
    if (scan.kind === 'corrupt') throw new KeyJournalCorruptionError(file, scan.offset, scan.detail);
    const replayed = replay(file, scan.records);
    if (scan.tornTail !== undefined) {
      options.warn(`Key journal ${file}: cut ${size - scan.validEnd} bytes of an unfinished write at byte ${scan.validEnd} (${scan.tornTail})`);
      await handle.truncate(scan.validEnd);
    }
    if (replayed.toZero.length > 0) {
      options.warn(`Key journal ${file}: finished destroying ${replayed.toZero.length} key(s) a crash had left`);
      for (const slot of replayed.toZero) await handle.write(Buffer.alloc(slot.length), 0, slot.length, slot.offset);
    }
    if (options.fsync && (scan.tornTail !== undefined || replayed.toZero.length > 0)) await handle.datasync();
    if (scan.validEnd > COMPACT_ABOVE_BYTES && replayed.deadBytes > scan.validEnd / 2) {
      await handle.close();
      await compact(file, replayed.entries, options.fsync);
      return loadJournal(file, options);
    }
    return { handle, entries: replayed.entries, end: scan.validEnd };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

function replay(file: string, records: readonly ParsedRecord[]): Replayed {
  const entries = new Map<string, KeyEntry>();
  const toZero: KeySlot[] = [];
  const slots = new Map<KeySlot, ParsedRecord>();
  let deadBytes = 0;
  const retire = (slot: KeySlot) => {
    const record = slots.get(slot);
    deadBytes += record?.bytes ?? 0;
    if (record?.keyState !== 'zeroed') toZero.push(slot);
  };
  for (const record of records) {
    const id = `${record.tenant}\n${record.subject}`;
    const previous = entries.get(id);
    if (previous?.state === 'live') retire(previous.slot);
    if (record.kind === RecordKind.Tombstone) {
      entries.set(id, { state: 'destroyed', tenant: record.tenant, subject: record.subject });
    } else if (record.slot) {
      slots.set(record.slot, record);
      // A key after a tombstone is never written; should one be there, it stays destroyed.
      if (previous?.state === 'destroyed') retire(record.slot);
      else entries.set(id, { state: 'live', tenant: record.tenant, subject: record.subject, key: { masterKeyId: record.masterKeyId, wrapped: record.wrapped }, slot: record.slot });
    }
  }
  for (const entry of entries.values()) {
    // Zeroing only ever follows a durable tombstone or newer key: a live key that is not intact was damaged.
    if (entry.state !== 'live') continue;
    const state = slots.get(entry.slot)?.keyState;
    if (state !== 'intact') {
      throw new KeyJournalCorruptionError(file, entry.slot.offset, `the key of ${entry.tenant}/${entry.subject} is ${state}`);
    }
  }
  return { entries, toZero, deadBytes };
}

/** Writes only the live keys and tombstones to a new file, then swaps it in atomically. */
async function compact(file: string, entries: Map<string, KeyEntry>, fsync: boolean): Promise<void> {
  const records: JournalRecord[] = [...entries.values()].map((entry) =>
    entry.state === 'live'
      ? { kind: RecordKind.Key, tenant: entry.tenant, subject: entry.subject, masterKeyId: entry.key.masterKeyId, wrapped: entry.key.wrapped }
      : { kind: RecordKind.Tombstone, tenant: entry.tenant, subject: entry.subject, masterKeyId: 0, wrapped: Buffer.alloc(0) },
  );
  const temporary = compactionFile(file);
  const handle = await fsp.open(temporary, 'w', 0o600);
  try {
    for (let start = 0; start < records.length; start += COMPACT_BATCH_RECORDS) {
      await handle.write(encodeBatch(records.slice(start, start + COMPACT_BATCH_RECORDS)).buffer);
    }
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temporary, file);
  if (fsync) await syncDirectory(path.dirname(file));
}

const compactionFile = (file: string) => `${file}.compact`;
