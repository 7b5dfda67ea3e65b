import { LogPosition } from '@cds/application';

/** Writes answer with the log position they produced; reads may pass it back to wait for it. */
export const POSITION_HEADER = 'cds-log-position';
export const WAIT_QUERY = 'wait_for_position';
export const MAX_WAIT_MS = 10_000;
/**
 * How long a write waits for the unifier to act on it. Longer than a read's wait: it must outlast a
 * unifier's failover (its lease expiring, 3 s by default, a standby's next look, and its catch-up
 * on what piled up meanwhile), which a sign-in should sit through rather than answer 503.
 */
export const UNIFICATION_WAIT_MS = 20_000;

export function positionHeaders(position: LogPosition | null): Record<string, string> {
  return position === null ? {} : { [POSITION_HEADER]: String(position) };
}
