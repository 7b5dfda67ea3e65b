import { LogPosition } from '@cds/application';
import { validationError } from '@cds/domain';
import { MAX_WAIT_MS } from '../../http/log-position';
import { ReadModelCatchUp } from '../../infrastructure/read-model-catch-up';

export function parsePosition(raw: string | undefined): LogPosition | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,16}$/.test(raw)) throw validationError('invalid_position', 'wait_for_position is a log position (a whole number)');
  return Number(raw);
}

/** Reads are eventually consistent; a caller holding a write's position can wait for it. */
export async function waitForPosition(catchUp: ReadModelCatchUp, position: LogPosition | undefined): Promise<void> {
  if (position !== undefined) await catchUp.waitFor(position, MAX_WAIT_MS);
}
