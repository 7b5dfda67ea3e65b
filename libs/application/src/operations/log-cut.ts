import { validationError } from '@cds/domain';
import { LogPosition, RecordedEvent } from '../ports/event-store.port';

/**
 * A point of the log to look back from: a log position (inclusive), or a time (every event the
 * log stored at or before it). Log times follow positions (the log stamps events as it appends
 * them), so a time cut is the prefix of the log up to its last event stamped at or before it.
 */
export type LogCut = { kind: 'position'; position: LogPosition } | { kind: 'time'; time: string; epochMs: number };

const POSITION = /^\d{1,16}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `1234` (a log position) or an ISO 8601 time with a zone (`2026-01-31T12:00:00Z`,
 * `2026-01-31T13:00:00+01:00`); a bare date means its start in UTC. Anything else is a 400.
 */
export function parseLogCut(raw: string, parameter = 'as_of'): LogCut {
  const value = raw.trim();
  if (POSITION.test(value)) return { kind: 'position', position: Number(value) };
  const date = DATE.exec(value);
  const dateTime = DATE_TIME.exec(value);
  const parts = date ?? dateTime;
  if (parts) {
    const epochMs = Date.parse(date ? `${value}T00:00:00Z` : value);
    const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    const calendar = new Date(Date.UTC(year, month - 1, day));
    const validDay = calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
    const validTime = !dateTime || (Number(dateTime[4]) < 24 && Number(dateTime[5]) < 60 && Number(dateTime[6] ?? 0) < 60);
    if (Number.isFinite(epochMs) && validDay && validTime) {
      return { kind: 'time', time: new Date(epochMs).toISOString(), epochMs };
    }
  }
  throw validationError(
    'invalid_as_of',
    `${parameter} is a log position (a whole number) or an ISO 8601 time with a zone, e.g. 2026-01-31T12:00:00Z`,
    [{ field: parameter, reason: `got "${raw.slice(0, 100)}"` }],
  );
}

/** Whether an event lies at or before the cut. */
export function isWithinCut(cut: LogCut, event: Pick<RecordedEvent, 'position' | 'created'>): boolean {
  if (cut.kind === 'position') return event.position <= cut.position;
  const created = Date.parse(event.created);
  return Number.isFinite(created) && created <= cut.epochMs;
}

export function describeCut(cut: LogCut): string {
  return cut.kind === 'position' ? `position ${cut.position}` : cut.time;
}
