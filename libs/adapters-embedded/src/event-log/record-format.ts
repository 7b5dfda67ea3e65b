/**
 * The log file, format version 2. A 16-byte file header (magic `CDSLOG`, u16 version), then
 * records back to back, each a fixed binary header and the variable parts:
 *
 *   0  u32  body length (bytes after these 8)     32  f64  batch last position
 *   4  u32  CRC-32 of the body                     40  f64  created (ms since the epoch)
 *   8  f64  position                               48  u16  stream id bytes, u16 type bytes,
 *  16  f64  revision                                    u16  event id bytes, u16 reserved (0)
 *  24  f64  batch first position                  56  u32  data bytes, u32 metadata bytes
 *  64  stream id, type, event id (UTF-8), data JSON, metadata JSON
 *
 * All integers little-endian; positions and revisions are safe integers stored as doubles. The
 * batch bounds name the write a record belongs to: a write is complete on disk only when its
 * last record is, which is how recovery keeps multi-event appends atomic and tells a torn final
 * write from damage to earlier, acknowledged ones. Finding a record's parts needs no JSON: the
 * header says where everything is.
 */
import { crc32 } from 'node:zlib';

export const FILE_MAGIC = Buffer.from('CDSLOG', 'latin1');
export const FORMAT_VERSION = 2;
export const FILE_HEADER_BYTES = 16;

export const FRAME_HEADER_BYTES = 8;
export const RECORD_HEADER_BYTES = 64;
/** Upper bound for one record's body; a header claiming more is damage, never an allocation. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Stream ids, types and event ids are stored with a 16-bit length. */
export const MAX_NAME_BYTES = 0xffff;

export function fileHeader(): Buffer {
  const header = Buffer.alloc(FILE_HEADER_BYTES);
  FILE_MAGIC.copy(header, 0);
  header.writeUInt16LE(FORMAT_VERSION, FILE_MAGIC.length);
  return header;
}

export type FileHeaderProbe = { kind: 'current' } | { kind: 'empty' } | { kind: 'legacy' } | { kind: 'unknown'; reason: string };

/**
 * What the first bytes of a log file say. A file shorter than the header that holds a prefix of
 * it was cut while being created: empty. Format 1 had no header; its first bytes are a record
 * length, which never equals the magic.
 */
export function probeFileHeader(bytes: Buffer, size: number): FileHeaderProbe {
  if (size === 0) return { kind: 'empty' };
  const expected = fileHeader();
  if (size < FILE_HEADER_BYTES && expected.subarray(0, size).equals(bytes.subarray(0, size))) return { kind: 'empty' };
  if (bytes.length >= FILE_MAGIC.length && bytes.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) {
    const version = bytes.readUInt16LE(FILE_MAGIC.length);
    return version === FORMAT_VERSION ? { kind: 'current' } : { kind: 'unknown', reason: `log format version ${version} is not supported` };
  }
  return { kind: 'legacy' };
}

/** One event as it is written; JSON already serialised, so what cannot be stored fails before it takes a position. */
export interface PendingRecord {
  readonly position: number;
  readonly revision: number;
  readonly createdMs: number;
  readonly streamId: string;
  readonly type: string;
  readonly id: string;
  readonly dataJson: string;
  readonly metadataJson: string;
  /** Bytes of the whole record on disk. */
  readonly bytes: number;
}

export function pendingRecord(fields: Omit<PendingRecord, 'bytes'>): PendingRecord {
  const names = [fields.streamId, fields.type, fields.id].map((text) => Buffer.byteLength(text, 'utf8'));
  if (names.some((length) => length > MAX_NAME_BYTES)) {
    throw new RangeError(`Event ${fields.id}: stream id, type and event id are limited to ${MAX_NAME_BYTES} bytes each`);
  }
  const bytes =
    RECORD_HEADER_BYTES + names[0] + names[1] + names[2] + Buffer.byteLength(fields.dataJson, 'utf8') + Buffer.byteLength(fields.metadataJson, 'utf8');
  if (bytes - FRAME_HEADER_BYTES > MAX_BODY_BYTES) {
    throw new RangeError(`Event ${fields.id} is larger than the ${MAX_BODY_BYTES}-byte record limit`);
  }
  return { ...fields, bytes };
}

/** Encodes a write batch into one buffer (one write call); returns each record's offset in it. */
export function encodeBatch(records: readonly PendingRecord[]): { buffer: Buffer; offsets: number[] } {
  const first = records[0].position;
  const last = records[records.length - 1].position;
  const buffer = Buffer.allocUnsafe(records.reduce((sum, record) => sum + record.bytes, 0));
  const offsets: number[] = [];
  let offset = 0;
  for (const record of records) {
    offsets.push(offset);
    buffer.writeDoubleLE(record.position, offset + 8);
    buffer.writeDoubleLE(record.revision, offset + 16);
    buffer.writeDoubleLE(first, offset + 24);
    buffer.writeDoubleLE(last, offset + 32);
    buffer.writeDoubleLE(record.createdMs, offset + 40);
    let at = offset + RECORD_HEADER_BYTES;
    const put = (text: string) => {
      const written = buffer.write(text, at, 'utf8');
      at += written;
      return written;
    };
    buffer.writeUInt16LE(put(record.streamId), offset + 48);
    buffer.writeUInt16LE(put(record.type), offset + 50);
    buffer.writeUInt16LE(put(record.id), offset + 52);
    buffer.writeUInt16LE(0, offset + 54);
    buffer.writeUInt32LE(put(record.dataJson), offset + 56);
    buffer.writeUInt32LE(put(record.metadataJson), offset + 60);
    buffer.writeUInt32LE(record.bytes - FRAME_HEADER_BYTES, offset);
    buffer.writeUInt32LE(crc32(buffer.subarray(offset + FRAME_HEADER_BYTES, offset + record.bytes)), offset + 4);
    offset += record.bytes;
  }
  return { buffer, offsets };
}

/** A record's header fields, read where it starts in a buffer. */
export interface RecordHeader {
  readonly position: number;
  readonly revision: number;
  readonly batchFirst: number;
  readonly batchLast: number;
  readonly createdMs: number;
  /** Where the stream id, type, event id, data and metadata start and end, in the buffer. */
  readonly streamIdAt: number;
  readonly typeAt: number;
  readonly idAt: number;
  readonly dataAt: number;
  readonly metadataAt: number;
  readonly end: number;
}

export type RecordProbe =
  | { readonly kind: 'record'; readonly header: RecordHeader; readonly length: number }
  /** The bytes end before the record does (`needed` bytes from its start would be required). */
  | { readonly kind: 'short'; readonly needed: number }
  /** Not a record: impossible lengths or a checksum mismatch. */
  | { readonly kind: 'bad'; readonly reason: string };

/** Looks at the record starting at `offset`; checks its checksum unless told the bytes are trusted. */
export function probeRecord(buffer: Buffer, offset: number, verify = true): RecordProbe {
  const available = buffer.length - offset;
  if (available < FRAME_HEADER_BYTES) return { kind: 'short', needed: FRAME_HEADER_BYTES };
  const bodyLength = buffer.readUInt32LE(offset);
  if (bodyLength < RECORD_HEADER_BYTES - FRAME_HEADER_BYTES || bodyLength > MAX_BODY_BYTES) {
    return { kind: 'bad', reason: `impossible record length ${bodyLength}` };
  }
  const length = FRAME_HEADER_BYTES + bodyLength;
  if (available < length) return { kind: 'short', needed: length };
  if (verify && crc32(buffer.subarray(offset + FRAME_HEADER_BYTES, offset + length)) !== buffer.readUInt32LE(offset + 4)) {
    return { kind: 'bad', reason: 'checksum mismatch' };
  }
  const streamIdAt = offset + RECORD_HEADER_BYTES;
  const typeAt = streamIdAt + buffer.readUInt16LE(offset + 48);
  const idAt = typeAt + buffer.readUInt16LE(offset + 50);
  const dataAt = idAt + buffer.readUInt16LE(offset + 52);
  const metadataAt = dataAt + buffer.readUInt32LE(offset + 56);
  const end = metadataAt + buffer.readUInt32LE(offset + 60);
  if (end !== offset + length) return { kind: 'bad', reason: 'field lengths do not add up to the record length' };
  const header: RecordHeader = {
    position: buffer.readDoubleLE(offset + 8),
    revision: buffer.readDoubleLE(offset + 16),
    batchFirst: buffer.readDoubleLE(offset + 24),
    batchLast: buffer.readDoubleLE(offset + 32),
    createdMs: buffer.readDoubleLE(offset + 40),
    streamIdAt,
    typeAt,
    idAt,
    dataAt,
    metadataAt,
    end,
  };
  return { kind: 'record', header, length };
}

/** Checks what the checksum cannot: numbers that make sense for a record. */
export function headerProblem(header: RecordHeader): string | undefined {
  const integer = Number.isSafeInteger;
  if (!integer(header.position) || header.position < 1 || !integer(header.revision) || header.revision < 0) {
    return 'invalid revision or position';
  }
  if (!integer(header.batchFirst) || !integer(header.batchLast) || header.batchFirst > header.position || header.position > header.batchLast) {
    return 'invalid batch bounds';
  }
  return undefined;
}
