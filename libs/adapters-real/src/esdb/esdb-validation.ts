/**
 * Checks an append before it goes to the server, so a bad argument fails as a TypeError that
 * says what is wrong instead of as an obscure server or serialisation error.
 */
import type { ExpectedRevision, NewEvent } from '@cds/application';

/**
 * EventStoreDB stores event ids as UUIDs and returns them in lower case; only lower-case ids
 * read back exactly as they were written (deterministic v5 ids from `uuid` are lower case).
 */
const LOWER_CASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isExpectedRevision(value: unknown): value is ExpectedRevision {
  return (
    value === 'any' ||
    value === 'no_stream' ||
    value === 'stream_exists' ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  );
}

export function validateAppend(streamId: unknown, events: unknown, expected: unknown): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  if (!Array.isArray(events)) throw new TypeError('events must be an array');
  if (!isExpectedRevision(expected)) throw new TypeError(`Invalid expected revision ${String(expected)}`);
  for (const event of events as NewEvent[]) {
    if (typeof event?.id !== 'string' || !LOWER_CASE_UUID.test(event.id)) {
      throw new TypeError(`Event id ${String(event?.id)} is not a lower-case UUID; EventStoreDB event ids are UUIDs`);
    }
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError('Every event needs a non-empty type');
    if (typeof event.metadata !== 'object' || event.metadata === null || Array.isArray(event.metadata)) {
      throw new TypeError(`Event ${event.id} needs a metadata object`);
    }
    if (JSON.stringify(event.data) === undefined) throw new TypeError(`Event ${event.id} data must be JSON-serialisable`);
  }
}
