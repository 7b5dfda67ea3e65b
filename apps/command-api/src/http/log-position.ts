import { LogPosition } from '@cds/application';

/** Writes answer with the log position they produced; reads may pass it back to wait for it. */
export const POSITION_HEADER = 'cds-log-position';
export const WAIT_QUERY = 'wait_for_position';
export const MAX_WAIT_MS = 10_000;

export function positionHeaders(position: LogPosition | null): Record<string, string> {
  return position === null ? {} : { [POSITION_HEADER]: String(position) };
}
