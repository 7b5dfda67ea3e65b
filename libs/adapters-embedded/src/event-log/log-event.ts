/**
 * The event of a record, decoded from its bytes when it is read: every reader of events reads
 * their payloads (the sealing store looks into each one, projectors and the unifier fold them), so
 * `data` and `metadata` are parsed at once, into a plain object of one shape. Each read decodes
 * afresh from bytes, so no two readers share an object, and no event holds on to the bytes it
 * came from.
 */
import type { EventMetadata, RecordedEvent } from '@cds/application';
import type { RecordHeader } from './record-format';

export function decodeEvent(streamId: string, type: string, bytes: Buffer, header: RecordHeader): RecordedEvent {
  return {
    streamId,
    revision: header.revision,
    position: header.position,
    type,
    id: bytes.toString('utf8', header.idAt, header.dataAt),
    data: JSON.parse(bytes.toString('utf8', header.dataAt, header.metadataAt)) as unknown,
    metadata: JSON.parse(bytes.toString('utf8', header.metadataAt, header.end)) as EventMetadata,
    created: isoTime(header.createdMs),
  };
}

/** The events of one write share their time: the last one turned into text is kept. */
let lastTime = { ms: Number.NaN, iso: '' };

function isoTime(ms: number): string {
  if (ms !== lastTime.ms) lastTime = { ms, iso: new Date(ms).toISOString() };
  return lastTime.iso;
}
