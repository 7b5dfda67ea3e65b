/**
 * Format 1 of the log, read only to migrate it: no file header; records framed as
 * [u32 LE payload length][u32 LE CRC-32 of the payload][payload], the payload one JSON object
 * holding the event and `batch`, the first and last position of the write it belongs to.
 */
import { crc32 } from 'node:zlib';
import type { EventMetadata } from '@cds/application';
import type { ScanProbe } from './log-scanner';

const FRAME_HEADER_BYTES = 8;
const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export interface LegacyRecord {
  id: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  created: string;
  data: unknown;
  metadata: EventMetadata;
  batchFirst: number;
  batchLast: number;
}

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);

/** Parses and shape-checks a payload; returns a reason string when it is not a record. */
function parseLegacyPayload(payload: string): LegacyRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    return `payload is not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null) return 'payload is not an object';
  const r = value as Partial<LegacyRecord> & { batch?: unknown };
  if (typeof r.id !== 'string' || typeof r.streamId !== 'string' || typeof r.type !== 'string') return 'payload lacks id, streamId or type';
  if (!isInteger(r.revision) || r.revision < 0 || !isInteger(r.position) || r.position < 1) return 'payload has an invalid revision or position';
  if (typeof r.created !== 'string' || typeof r.metadata !== 'object' || r.metadata === null) return 'payload lacks created or metadata';
  const batch = r.batch;
  if (!Array.isArray(batch) || batch.length !== 2 || !isInteger(batch[0]) || !isInteger(batch[1]) || batch[0] > r.position || r.position > batch[1]) {
    return 'payload has invalid batch bounds';
  }
  return { ...(r as LegacyRecord), batchFirst: batch[0], batchLast: batch[1] };
}

export function probeLegacyRecord(buffer: Buffer, offset: number): ScanProbe<LegacyRecord> {
  const available = buffer.length - offset;
  if (available < FRAME_HEADER_BYTES) return { kind: 'short', needed: FRAME_HEADER_BYTES };
  const length = buffer.readUInt32LE(offset);
  if (length === 0 || length > MAX_PAYLOAD_BYTES) return { kind: 'bad', reason: `impossible payload length ${length}` };
  if (available < FRAME_HEADER_BYTES + length) return { kind: 'short', needed: FRAME_HEADER_BYTES + length };
  const payload = buffer.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length);
  if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) return { kind: 'bad', reason: 'checksum mismatch' };
  const record = parseLegacyPayload(payload.toString('utf8'));
  if (typeof record === 'string') return { kind: 'invalid', reason: record };
  return { kind: 'record', record, length: FRAME_HEADER_BYTES + length };
}
