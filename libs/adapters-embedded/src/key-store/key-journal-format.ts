/**
 * The key journal's bytes. The file is a sequence of batches, each written with one write and
 * made durable with one fdatasync before the next starts:
 *
 *   batch  = [u32 LE length of records][u32 LE crc32 of the records' headers][records]
 *   record = header [key region]
 *   header = [u8 kind][u32 LE master key id][u8 tenant length][tenant][u16 LE subject length][subject][u8 key length]
 *   key region (key records only) = [wrapped key][u32 LE crc32 of the wrapped key]
 *
 * Destroying a key overwrites its key region with zeros in place. The batch checksum leaves key
 * regions out, so a batch stays intact when its keys are zeroed; each key has its own checksum.
 */
import { crc32 } from 'node:zlib';

export const enum RecordKind {
  Key = 1,
  Tombstone = 2,
}

export interface JournalRecord {
  readonly kind: RecordKind;
  readonly tenant: string;
  readonly subject: string;
  readonly masterKeyId: number;
  /** Empty for tombstones. */
  readonly wrapped: Buffer;
}

/** Where a record's key region sits in the file, once written; what zeroing overwrites. */
export interface KeySlot {
  offset: number;
  readonly length: number;
}

export type KeyRegionState = 'intact' | 'zeroed' | 'damaged';

export interface ParsedRecord extends JournalRecord {
  /** Absent for tombstones. */
  readonly slot?: KeySlot;
  readonly keyState?: KeyRegionState;
  /** Bytes of the record in the file. */
  readonly bytes: number;
}

export type JournalScan =
  | { readonly kind: 'ok'; readonly records: ParsedRecord[]; readonly validEnd: number; readonly tornTail?: string }
  | { readonly kind: 'corrupt'; readonly offset: number; readonly detail: string };

const BATCH_HEADER_BYTES = 8;
const KEY_CHECKSUM_BYTES = 4;
const MAX_TENANT_BYTES = 255;
const MAX_SUBJECT_BYTES = 4096;
const MAX_KEY_BYTES = 255;
const MAX_BATCH_BYTES = 256 * 1024 * 1024;

/** The bytes of one batch, and where each record's key region lands relative to the batch start. */
export function encodeBatch(records: readonly JournalRecord[]): { buffer: Buffer; keyRegions: Array<number | null> } {
  const parts: Buffer[] = [];
  const keyRegions: Array<number | null> = [];
  let headerCrc = 0;
  let offset = BATCH_HEADER_BYTES;
  for (const record of records) {
    const header = encodeHeader(record);
    headerCrc = crc32(header, headerCrc);
    parts.push(header);
    offset += header.length;
    if (record.kind === RecordKind.Key) {
      const checksum = Buffer.alloc(KEY_CHECKSUM_BYTES);
      checksum.writeUInt32LE(crc32(record.wrapped));
      parts.push(record.wrapped, checksum);
      keyRegions.push(offset);
      offset += record.wrapped.length + KEY_CHECKSUM_BYTES;
    } else {
      keyRegions.push(null);
    }
  }
  const head = Buffer.alloc(BATCH_HEADER_BYTES);
  head.writeUInt32LE(offset - BATCH_HEADER_BYTES, 0);
  head.writeUInt32LE(headerCrc, 4);
  return { buffer: Buffer.concat([head, ...parts]), keyRegions };
}

export const keyRegionLength = (wrapped: Buffer) => wrapped.length + KEY_CHECKSUM_BYTES;

/** Throws on what the format cannot hold; checked before a record is queued, never in the writer. */
export function checkRecord(record: JournalRecord): JournalRecord {
  if (Buffer.byteLength(record.tenant, 'utf8') > MAX_TENANT_BYTES) throw new RangeError(`A tenant is at most ${MAX_TENANT_BYTES} bytes`);
  if (Buffer.byteLength(record.subject, 'utf8') > MAX_SUBJECT_BYTES) throw new RangeError(`A subject is at most ${MAX_SUBJECT_BYTES} bytes`);
  if (record.wrapped.length > MAX_KEY_BYTES) throw new RangeError(`A wrapped key is at most ${MAX_KEY_BYTES} bytes`);
  if (record.kind === RecordKind.Key && record.wrapped.length === 0) throw new RangeError('A key record holds a key');
  return record;
}

function encodeHeader(record: JournalRecord): Buffer {
  const tenant = Buffer.from(record.tenant, 'utf8');
  const subject = Buffer.from(record.subject, 'utf8');
  const header = Buffer.alloc(1 + 4 + 1 + tenant.length + 2 + subject.length + 1);
  let at = header.writeUInt8(record.kind, 0);
  at = header.writeUInt32LE(record.masterKeyId, at);
  at = header.writeUInt8(tenant.length, at);
  at += tenant.copy(header, at);
  at = header.writeUInt16LE(subject.length, at);
  at += subject.copy(header, at);
  header.writeUInt8(record.wrapped.length, at);
  return header;
}

/**
 * Reads every batch. Only the last batch can be torn (a batch starts only after the previous one
 * is durable), and a crash may persist its pages in any order: a bad batch is the torn remains of
 * a write that was never acknowledged, to be cut, unless an intact batch follows it, which proves
 * the damage hit acknowledged data.
 */
export function scanJournal(file: Buffer): JournalScan {
  const records: ParsedRecord[] = [];
  let offset = 0;
  while (offset < file.length) {
    const problem = readBatch(file, offset, records);
    if (problem === null) {
      offset += BATCH_HEADER_BYTES + file.readUInt32LE(offset);
      continue;
    }
    if (intactBatchAfter(file, offset)) return { kind: 'corrupt', offset, detail: problem };
    return { kind: 'ok', records, validEnd: offset, tornTail: problem };
  }
  return { kind: 'ok', records, validEnd: offset };
}

function intactBatchAfter(file: Buffer, offset: number): boolean {
  for (let at = offset + 1; at + BATCH_HEADER_BYTES < file.length; at++) {
    if (readBatch(file, at, []) === null) return true;
  }
  return false;
}

/** Appends the batch's records to `into`, or says what is wrong with it. */
function readBatch(file: Buffer, start: number, into: ParsedRecord[]): string | null {
  if (file.length - start < BATCH_HEADER_BYTES) return 'a batch header cut short';
  const length = file.readUInt32LE(start);
  const end = start + BATCH_HEADER_BYTES + length;
  if (length === 0 || length > MAX_BATCH_BYTES) return `a batch length of ${length} bytes`;
  if (end > file.length) return 'a batch cut short';
  const parsed: ParsedRecord[] = [];
  let crc = 0;
  let at = start + BATCH_HEADER_BYTES;
  while (at < end) {
    const headerStart = at;
    if (at + 6 > end) return 'a record runs past its batch';
    const kind = file.readUInt8(at) as RecordKind;
    const masterKeyId = file.readUInt32LE(at + 1);
    const tenantLength = file.readUInt8(at + 5);
    at += 6;
    if (at + tenantLength + 2 > end) return 'a record runs past its batch';
    const tenant = file.toString('utf8', at, at + tenantLength);
    const subjectLength = file.readUInt16LE(at + tenantLength);
    at += tenantLength + 2;
    if (at + subjectLength + 1 > end) return 'a record runs past its batch';
    const subject = file.toString('utf8', at, at + subjectLength);
    const keyLength = file.readUInt8(at + subjectLength);
    at += subjectLength + 1;
    crc = crc32(file.subarray(headerStart, at), crc);
    if (kind === RecordKind.Tombstone && keyLength === 0) {
      parsed.push({ kind, tenant, subject, masterKeyId, wrapped: Buffer.alloc(0), bytes: at - headerStart });
      continue;
    }
    if (kind !== RecordKind.Key || keyLength === 0) return `a record of unknown kind ${kind}`;
    const regionEnd = at + keyLength + KEY_CHECKSUM_BYTES;
    if (regionEnd > end) return 'a key runs past its batch';
    const wrapped = Buffer.from(file.subarray(at, at + keyLength));
    const slot: KeySlot = { offset: at, length: keyLength + KEY_CHECKSUM_BYTES };
    const state = keyState(file.subarray(at, regionEnd), wrapped, file.readUInt32LE(at + keyLength));
    parsed.push({ kind, tenant, subject, masterKeyId, wrapped, slot, keyState: state, bytes: regionEnd - headerStart });
    at = regionEnd;
  }
  if (crc !== file.readUInt32LE(start + 4)) return 'a batch whose checksum does not match';
  into.push(...parsed);
  return null;
}

function keyState(region: Buffer, wrapped: Buffer, checksum: number): KeyRegionState {
  if (crc32(wrapped) === checksum) return 'intact';
  return region.every((byte) => byte === 0) ? 'zeroed' : 'damaged';
}
