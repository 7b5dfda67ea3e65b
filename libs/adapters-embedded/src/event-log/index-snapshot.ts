/**
 * The log's index on disk, so that opening a large log reads a few columns instead of walking
 * every record. A snapshot covers the log up to a write boundary (`head`, `end`); open restores
 * it and scans only what was appended after it. It also holds a CRC-32 per megabyte of the log
 * up to `end`, so that open still checks every acknowledged byte (at disk speed, without
 * decoding records) and refuses a log damaged in the middle, as a full scan would.
 *
 * Layout: `CDSIDX` u16 version, u32 header length, the header as JSON, padding to 8 bytes, then
 * offsets (f64 per event), stream numbers and type numbers (u32 per event), the stream ids'
 * byte lengths (u32 each) and their UTF-8 bytes, and a CRC-32 of everything before it. A
 * snapshot that is missing, torn or does not match the log is ignored: open falls back to a full
 * scan and writes a new one.
 */
import { promises as fsp, readFileSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { IndexColumns } from './log-index';

export const INDEX_FILE_NAME = 'events.idx';
const MAGIC = Buffer.from('CDSIDX', 'latin1');
const VERSION = 1;
export const CHECKSUM_BLOCK_BYTES = 1024 * 1024;

export interface IndexSnapshot {
  /** Last position covered. */
  readonly head: number;
  /** Byte offset of the end of the record at `head`. */
  readonly end: number;
  readonly columns: IndexColumns;
  /** CRC-32 of each CHECKSUM_BLOCK_BYTES block of the file up to `end` (the last one partial). */
  readonly blockChecksums: readonly number[];
}

interface SnapshotHeader {
  head: number;
  end: number;
  blockChecksums: number[];
  types: string[];
  streams: number;
  namesBytes: number;
}

const pad8 = (n: number) => (n + 7) & ~7;

export function encodeSnapshot(snapshot: IndexSnapshot): Buffer[] {
  const { columns } = snapshot;
  const names = columns.streams.map((id) => Buffer.from(id, 'utf8'));
  const nameLengths = Uint32Array.from(names, (name) => name.length);
  const namesBytes = nameLengths.reduce((sum, length) => sum + length, 0);
  const header: SnapshotHeader = {
    head: snapshot.head,
    end: snapshot.end,
    blockChecksums: [...snapshot.blockChecksums],
    types: [...columns.types],
    streams: names.length,
    namesBytes,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lead = Buffer.alloc(pad8(MAGIC.length + 2 + 4 + json.length));
  MAGIC.copy(lead, 0);
  lead.writeUInt16LE(VERSION, MAGIC.length);
  lead.writeUInt32LE(json.length, MAGIC.length + 2);
  json.copy(lead, MAGIC.length + 6);
  const bytes = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  const parts = [lead, bytes(columns.offsets), bytes(columns.streamOf), bytes(columns.typeOf), bytes(nameLengths), ...names];
  let checksum = 0;
  for (const part of parts) checksum = crc32(part, checksum);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(checksum >>> 0, 0);
  return [...parts, trailer];
}

/** Writes the snapshot next to the log: a temporary file made durable, then renamed into place. */
export async function writeSnapshot(file: string, snapshot: IndexSnapshot): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await fsp.open(temporary, 'w');
  try {
    await handle.writev(encodeSnapshot(snapshot));
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temporary, file);
}

/** The snapshot in `file`, or undefined when there is none or it cannot be trusted. */
export function readSnapshot(file: string): IndexSnapshot | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    return decodeSnapshot(bytes);
  } catch {
    return undefined;
  }
}

function decodeSnapshot(bytes: Buffer): IndexSnapshot | undefined {
  if (bytes.length < MAGIC.length + 10 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (bytes.readUInt16LE(MAGIC.length) !== VERSION) return undefined;
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== bytes.readUInt32LE(bytes.length - 4)) return undefined;
  const jsonLength = bytes.readUInt32LE(MAGIC.length + 2);
  const header = JSON.parse(bytes.toString('utf8', MAGIC.length + 6, MAGIC.length + 6 + jsonLength)) as SnapshotHeader;
  let at = pad8(MAGIC.length + 6 + jsonLength);
  // Copies: a Buffer from readFileSync need not be aligned for typed-array views.
  const take = <T>(make: (buffer: ArrayBuffer) => T, byteLength: number): T => {
    const copy = new ArrayBuffer(byteLength);
    new Uint8Array(copy).set(bytes.subarray(at, at + byteLength));
    at += byteLength;
    return make(copy);
  };
  const offsets = take((b) => new Float64Array(b), header.head * 8);
  const streamOf = take((b) => new Uint32Array(b), header.head * 4);
  const typeOf = take((b) => new Uint32Array(b), header.head * 4);
  const nameLengths = take((b) => new Uint32Array(b), header.streams * 4);
  const streams: string[] = new Array<string>(header.streams);
  for (let i = 0; i < header.streams; i++) {
    streams[i] = bytes.toString('utf8', at, at + nameLengths[i]);
    at += nameLengths[i];
  }
  if (at !== bytes.length - 4) return undefined;
  return {
    head: header.head,
    end: header.end,
    blockChecksums: header.blockChecksums,
    columns: { offsets, streamOf, typeOf, streams, types: header.types },
  };
}

/**
 * Running CRC-32s of the log in blocks of CHECKSUM_BLOCK_BYTES, fed with every byte appended,
 * so a snapshot can be written at any write boundary without reading the log again.
 */
export class BlockChecksums {
  private readonly full: number[];
  private partial = 0;
  private partialLength = 0;

  /** Continues from the checksums of a log `end` bytes long. */
  constructor(checksums: readonly number[] = [], end = 0) {
    const fullBlocks = Math.floor(end / CHECKSUM_BLOCK_BYTES);
    this.full = checksums.slice(0, fullBlocks);
    this.partialLength = end - fullBlocks * CHECKSUM_BLOCK_BYTES;
    this.partial = this.partialLength > 0 ? checksums[fullBlocks] : 0;
  }

  add(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(CHECKSUM_BLOCK_BYTES - this.partialLength, bytes.length - at);
      this.partial = crc32(bytes.subarray(at, at + take), this.partial);
      this.partialLength += take;
      at += take;
      if (this.partialLength === CHECKSUM_BLOCK_BYTES) {
        this.full.push(this.partial);
        this.partial = 0;
        this.partialLength = 0;
      }
    }
  }

  values(): number[] {
    return this.partialLength > 0 ? [...this.full, this.partial] : [...this.full];
  }
}

const READ_BYTES = 4 * CHECKSUM_BLOCK_BYTES;

/** Feeds bytes [from, to) of the file to `sink`, in large reads. */
export function readRange(fd: number, from: number, to: number, sink: (bytes: Buffer, offset: number) => void): void {
  const buffer = Buffer.allocUnsafe(Math.min(READ_BYTES, Math.max(0, to - from)));
  for (let offset = from; offset < to; ) {
    const length = Math.min(buffer.length, to - offset);
    let filled = 0;
    while (filled < length) {
      const read = readSync(fd, buffer, filled, length - filled, offset + filled);
      if (read === 0) throw new RangeError(`the file ends at byte ${offset + filled}, before ${to}`);
      filled += read;
    }
    sink(buffer.subarray(0, length), offset);
    offset += length;
  }
}

/** The first block of the file whose checksum differs from the snapshot's, or -1. */
export function firstDamagedBlock(fd: number, snapshot: IndexSnapshot): number {
  const computed = new BlockChecksums();
  readRange(fd, 0, snapshot.end, (bytes) => computed.add(bytes));
  const values = computed.values();
  return values.findIndex((checksum, block) => checksum !== snapshot.blockChecksums[block]);
}
