/**
 * Conversions between the port's types and the client's: expected revisions, events going in,
 * recorded events and positions coming out.
 *
 * Positions. The port's LogPosition is one number, the event's commit position. Since
 * EventStoreDB 20.x every event an append writes is its own implicitly committed prepare
 * record, and $all reports such an event at TFPos(commit = prepare = the record's log position)
 * (AllReader builds `CommitEventRecord(event, event.LogPosition)`; an append reports the log
 * position of its last record). So the prepare position of an event we were given is its commit
 * position, and `{ commit: p, prepare: p }` names exactly that event as a starting point: a
 * forward $all read from it starts at that event (inclusive), a subscription from it starts
 * right after it (exclusive, as documented). No map from commit to prepare is needed. Events
 * written inside a legacy explicit transaction (TCP API only) share the commit record's
 * position and cannot be told apart by one number; this adapter never writes them.
 */
import {
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type EventData,
  type JSONType,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, ExpectedRevision, LogPosition, NewEvent, RecordedEvent } from '@cds/application';

type ClientRecordedEvent = NonNullable<ResolvedEvent['event']> | NonNullable<AllStreamResolvedEvent['event']>;

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
    case 'no_stream':
    case 'stream_exists':
      // The client's ANY, NO_STREAM and STREAM_EXISTS constants are these very strings.
      return expected;
    default:
      return BigInt(expected);
  }
}

/** The event as the client appends it: JSON, with our deterministic id kept. */
export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    // JSON-serialisable (checked before the append); the client stringifies it as is.
    data: event.data as JSONType,
    metadata: event.metadata,
  });
}

/** A log position as the client takes it when reading or subscribing from an event. */
export function toEsdbPosition(position: LogPosition): Position {
  const commit = BigInt(position);
  return { commit, prepare: commit };
}

/** The commit position as a number: exact up to 2^53 bytes of log (9 PB). */
export function toLogPosition(position: Position): LogPosition {
  const value = Number(position.commit);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`EventStoreDB position ${position.commit} does not fit a LogPosition`);
  }
  return value;
}

/** The server's "no position" (-1 sent as an unsigned 64-bit number). */
const NO_POSITION = 2n ** 64n - 1n;

/**
 * Where an event sits in $all. Stream reads carry it too from EventStoreDB 22.6 on; older
 * servers send none, or "no position", for events read from a stream.
 */
export function positionOf(event: ClientRecordedEvent): LogPosition {
  if (!event.position || event.position.commit === NO_POSITION) {
    throw new Error(
      `EventStoreDB did not report the log position of event ${event.id} in ${event.streamId}; ` +
        'the adapter needs EventStoreDB 22.6 or later',
    );
  }
  return toLogPosition(event.position);
}

/** System streams and events ($-prefixed: $stats, $metadata, links, ...) are not ours to read. */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

export function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: positionOf(event),
    type: event.type,
    // JSON events arrive parsed. Events other writers stored as binary stay bytes.
    data: event.data,
    metadata: toMetadata(event.metadata),
    created: event.created.toISOString(),
  };
}

/**
 * Our events always carry a metadata object. Events written by others may carry none or
 * non-JSON bytes; they read with an empty object rather than failing the whole read.
 */
function toMetadata(metadata: unknown): EventMetadata {
  if (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) && !(metadata instanceof Uint8Array)) {
    return metadata as EventMetadata;
  }
  return {} as EventMetadata;
}
