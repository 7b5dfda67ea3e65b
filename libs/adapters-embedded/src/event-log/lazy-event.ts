/**
 * A RecordedEvent over the bytes of its record: `data`, `metadata` and `created` are decoded the
 * first time they are read, so a reader that looks only at positions, streams and types (a
 * filtered scan, a catch-up that skips other streams) never parses JSON. They are own,
 * enumerable accessors: spreading, JSON.stringify and deep equality see plain values. Each call
 * decodes afresh from bytes, so no two readers share an object.
 */
import type { EventMetadata, RecordedEvent } from '@cds/application';
import type { RecordHeader } from './record-format';

const UNREAD = Symbol('unread');

export function lazyEvent(buffer: Buffer, header: RecordHeader, streamId: string, type: string): RecordedEvent {
  let data: unknown = UNREAD;
  let metadata: EventMetadata | typeof UNREAD = UNREAD;
  let created: string | typeof UNREAD = UNREAD;
  return {
    id: buffer.toString('utf8', header.idAt, header.dataAt),
    streamId,
    revision: header.revision,
    position: header.position,
    type,
    get data(): unknown {
      if (data === UNREAD) data = JSON.parse(buffer.toString('utf8', header.dataAt, header.metadataAt));
      return data;
    },
    set data(value: unknown) {
      data = value;
    },
    get metadata(): EventMetadata {
      if (metadata === UNREAD) metadata = JSON.parse(buffer.toString('utf8', header.metadataAt, header.end)) as EventMetadata;
      return metadata;
    },
    set metadata(value: EventMetadata) {
      metadata = value;
    },
    get created(): string {
      if (created === UNREAD) created = new Date(header.createdMs).toISOString();
      return created;
    },
    set created(value: string) {
      created = value;
    },
  };
}
