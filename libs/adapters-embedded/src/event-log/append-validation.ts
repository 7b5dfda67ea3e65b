/**
 * Checks an append's arguments before anything is decided or indexed, so malformed input is
 * refused with a TypeError instead of producing a record that could not be read back.
 */
import type { ExpectedRevision, NewEvent } from '@cds/application';
import { isExpectedRevision } from './append-rules';

export function validateAppend(streamId: string, events: NewEvent[], expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  if (!Array.isArray(events)) throw new TypeError('events must be an array');
  if (!isExpectedRevision(expected)) throw new TypeError(`Invalid expected revision ${String(expected)}`);
  for (const event of events) {
    if (typeof event?.id !== 'string' || event.id.length === 0) throw new TypeError('Every event needs a non-empty id');
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError('Every event needs a non-empty type');
    if (typeof event.metadata !== 'object' || event.metadata === null || Array.isArray(event.metadata)) {
      throw new TypeError('Every event needs a metadata object');
    }
  }
}

/** JSON text of an event's data or metadata; undefined, functions and symbols have none. */
export function toJson(value: unknown, what: 'data' | 'metadata'): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`Event ${what} must be JSON-serialisable`);
  return json;
}
