import { LogPosition } from '@cds/application';
import { assertNever, conflict } from '@cds/domain';
import { MAX_WAIT_MS, WAIT_QUERY } from '../../http/log-position';
import { parseWholeNumber } from '../../http/query-numbers';
import { ReadModelBehindError } from '../../http/read-model-behind.error';
import { ProfileRef, ReadModelCatchUp } from '../../infrastructure/read-model-catch-up';

export function parsePosition(raw: unknown): LogPosition | undefined {
  return parseWholeNumber(raw, { name: WAIT_QUERY, code: 'invalid_position', min: 0, max: Number.MAX_SAFE_INTEGER });
}

/**
 * Reads are eventually consistent; a caller holding a write's position can wait for it. A
 * position the log has not reached is refused at once (409), and a wait that runs out says so
 * (503) rather than passing stale data off as fresh. A read about one profile waits for the partition
 * that writes its document; a read across profiles, for every partition.
 */
export async function waitForPosition(catchUp: ReadModelCatchUp, position: LogPosition | undefined, profile?: ProfileRef): Promise<void> {
  if (position === undefined) return;
  const outcome = await catchUp.waitFor(position, MAX_WAIT_MS, profile);
  switch (outcome) {
    case 'caught_up':
      return;
    case 'beyond_log_head':
      throw conflict('position_not_reached', `The log has not reached position ${position}: pass a position a write answered with (${WAIT_QUERY})`);
    case 'timed_out':
      throw new ReadModelBehindError(position, MAX_WAIT_MS);
    default:
      assertNever(outcome);
  }
}
