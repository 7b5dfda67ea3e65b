/**
 * A RecordedEvent over the bytes of its record: `data`, `metadata` and `created` are decoded the
 * first time they are read, so a reader that looks only at positions, streams, types and ids
 * never parses JSON. Each read of the log decodes afresh from bytes, so no two readers share an
 * object.
 *
 * The three are own, enumerable accessors, so spreading (`{ ...event, data }`), JSON.stringify
 * and deep equality see a plain event. They are defined from one set of functions shared by every
 * event: accessors made per event (closures in an object literal) would give each event its own
 * hidden class, about a microsecond and a kilobyte of garbage each (measured).
 */
import type { EventMetadata, RecordedEvent } from '@cds/application';

/** Where a record's parts are, in the bytes that hold it. */
export interface RecordOffsets {
  readonly idAt: number;
  readonly dataAt: number;
  readonly metadataAt: number;
  readonly end: number;
  readonly createdMs: number;
}

export class LogEvent implements RecordedEvent {
  readonly id: string;
  declare data: unknown;
  declare metadata: EventMetadata;
  declare created: string;
  readonly #bytes: Buffer;
  readonly #offsets: RecordOffsets;
  #data: unknown;
  #dataRead = false;
  #metadata: EventMetadata | undefined;
  #created: string | undefined;

  static readonly #payload: PropertyDescriptorMap = {
    data: {
      get(this: LogEvent): unknown {
        if (!this.#dataRead) {
          this.#data = JSON.parse(this.#bytes.toString('utf8', this.#offsets.dataAt, this.#offsets.metadataAt));
          this.#dataRead = true;
        }
        return this.#data;
      },
      set(this: LogEvent, value: unknown) {
        this.#data = value;
        this.#dataRead = true;
      },
      enumerable: true,
      configurable: true,
    },
    metadata: {
      get(this: LogEvent): EventMetadata {
        this.#metadata ??= JSON.parse(this.#bytes.toString('utf8', this.#offsets.metadataAt, this.#offsets.end)) as EventMetadata;
        return this.#metadata;
      },
      set(this: LogEvent, value: EventMetadata) {
        this.#metadata = value;
      },
      enumerable: true,
      configurable: true,
    },
    created: {
      get(this: LogEvent): string {
        this.#created ??= new Date(this.#offsets.createdMs).toISOString();
        return this.#created;
      },
      set(this: LogEvent, value: string) {
        this.#created = value;
      },
      enumerable: true,
      configurable: true,
    },
  };

  /** `bytes` holds the record; `offsets` say where its id, data and metadata start and where it ends. */
  constructor(
    readonly streamId: string,
    readonly revision: number,
    readonly position: number,
    readonly type: string,
    bytes: Buffer,
    offsets: RecordOffsets,
  ) {
    this.#bytes = bytes;
    this.#offsets = offsets;
    this.id = bytes.toString('utf8', offsets.idAt, offsets.dataAt);
    Object.defineProperties(this, LogEvent.#payload);
  }
}
