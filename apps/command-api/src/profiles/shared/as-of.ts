import { LogCut, parseLogCut } from '@cds/application';
import { validationError } from '@cds/domain';

/** `as_of`: a log position or an ISO 8601 time with a zone; absent means "now, from the read model". */
export function parseAsOf(raw: unknown): LogCut | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw validationError('invalid_as_of', 'Give as_of once');
  return parseLogCut(raw, 'as_of');
}
