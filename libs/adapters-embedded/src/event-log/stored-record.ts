/**
 * The JSON payload of one frame. Besides the event it carries `batch`, the first and last
 * position of the write it belongs to: a write is complete on disk only when its last record
 * is, which is how recovery keeps multi-event appends atomic and tells a torn final write from
 * damage to earlier, acknowledged ones.
 */
import type { EventMetadata, RecordedEvent } from '@cds/application';

export interface StoredRecord {
  id: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  created: string;
  data: unknown;
  metadata: EventMetadata;
  batch: [first: number, last: number];
}

/** Everything but the batch bounds, which are only known when the writer forms the batch. */
export interface RecordBody {
  readonly position: number;
  /** The payload text up to and including `"batch":[`. */
  readonly text: string;
}

export interface RecordFields {
  id: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  created: string;
  /** Already-serialised JSON, so invalid data is refused before a position is taken. */
  dataJson: string;
  metadataJson: string;
}

export function recordBody(fields: RecordFields): RecordBody {
  const text =
    `{"id":${JSON.stringify(fields.id)},"streamId":${JSON.stringify(fields.streamId)},` +
    `"revision":${fields.revision},"position":${fields.position},"type":${JSON.stringify(fields.type)},` +
    `"created":${JSON.stringify(fields.created)},"data":${fields.dataJson},"metadata":${fields.metadataJson},` +
    `"batch":[`;
  return { position: fields.position, text };
}

export const completeRecord = (body: RecordBody, first: number, last: number): string =>
  `${body.text}${first},${last}]}`;

/** Longest possible `completeRecord` suffix: two safe integers, a comma and `]}`. */
export const RECORD_SUFFIX_MAX_BYTES = 2 * 16 + 3;

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);

/** Parses and shape-checks a payload; returns a reason string when it is not a record. */
export function parseRecord(payload: string): StoredRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    return `payload is not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null) return 'payload is not an object';
  const r = value as Partial<StoredRecord>;
  if (typeof r.id !== 'string' || typeof r.streamId !== 'string' || typeof r.type !== 'string') {
    return 'payload lacks id, streamId or type';
  }
  if (!isInteger(r.revision) || r.revision < 0 || !isInteger(r.position) || r.position < 1) {
    return 'payload has an invalid revision or position';
  }
  if (typeof r.created !== 'string' || typeof r.metadata !== 'object' || r.metadata === null) {
    return 'payload lacks created or metadata';
  }
  const batch = r.batch;
  if (
    !Array.isArray(batch) ||
    batch.length !== 2 ||
    !isInteger(batch[0]) ||
    !isInteger(batch[1]) ||
    batch[0] > r.position ||
    r.position > batch[1]
  ) {
    return 'payload has invalid batch bounds';
  }
  return r as StoredRecord;
}

export function toRecordedEvent(record: StoredRecord): RecordedEvent {
  return {
    id: record.id,
    streamId: record.streamId,
    revision: record.revision,
    position: record.position,
    type: record.type,
    data: record.data,
    metadata: record.metadata,
    created: record.created,
  };
}
