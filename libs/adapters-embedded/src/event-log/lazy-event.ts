/**
 * A RecordedEvent over the bytes of its record: `data`, `metadata` and `created` are decoded the
 * first time they are read, so a reader that looks only at positions, streams, types and ids
 * never parses JSON. Each read of the log decodes afresh from bytes, so no two readers share an
 * object.
 *
 * The three are accessors of the class, not own properties: per-object accessors would give
 * every event its own hidden class (about 1 µs and a kilobyte of garbage each, measured). So
 * `{ ...event }` copies only the eager fields; `toJSON` and `toPlain` give the whole event.
 */
import type { EventMetadata, RecordedEvent } from '@cds/application';

export class LogEvent implements RecordedEvent {
  readonly id: string;
  readonly #bytes: Buffer;
  readonly #dataAt: number;
  readonly #metadataAt: number;
  readonly #end: number;
  readonly #createdMs: number;
  #data: unknown;
  #dataRead = false;
  #metadata: EventMetadata | undefined;
  #created: string | undefined;

  /** `bytes` holds the record; the offsets say where its id, data and metadata start and where it ends. */
  constructor(
    readonly streamId: string,
    readonly revision: number,
    readonly position: number,
    readonly type: string,
    bytes: Buffer,
    offsets: { idAt: number; dataAt: number; metadataAt: number; end: number; createdMs: number },
  ) {
    this.#bytes = bytes;
    this.#dataAt = offsets.dataAt;
    this.#metadataAt = offsets.metadataAt;
    this.#end = offsets.end;
    this.#createdMs = offsets.createdMs;
    this.id = bytes.toString('utf8', offsets.idAt, offsets.dataAt);
  }

  get data(): unknown {
    if (!this.#dataRead) this.data = JSON.parse(this.#bytes.toString('utf8', this.#dataAt, this.#metadataAt));
    return this.#data;
  }

  set data(value: unknown) {
    this.#data = value;
    this.#dataRead = true;
  }

  get metadata(): EventMetadata {
    this.#metadata ??= JSON.parse(this.#bytes.toString('utf8', this.#metadataAt, this.#end)) as EventMetadata;
    return this.#metadata;
  }

  set metadata(value: EventMetadata) {
    this.#metadata = value;
  }

  get created(): string {
    this.#created ??= new Date(this.#createdMs).toISOString();
    return this.#created;
  }

  set created(value: string) {
    this.#created = value;
  }

  /** The event as a plain object, every field decoded. */
  toPlain(): RecordedEvent {
    const { id, streamId, revision, position, type, data, metadata, created } = this;
    return { id, streamId, revision, position, type, data, metadata, created };
  }

  toJSON(): RecordedEvent {
    return this.toPlain();
  }
}
