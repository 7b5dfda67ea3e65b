import { LogPosition } from '@cds/application';

/** How long a caller whose read timed out should wait before asking again. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * A read asked to wait for a log position and the read model did not reach it in time. The
 * write is safe in the log; the answer would be stale, so none is given (503 with Retry-After).
 */
export class ReadModelBehindError extends Error {
  constructor(readonly position: LogPosition, waitedMs: number) {
    super(`The read model has not reached log position ${position} after ${waitedMs / 1000} s; the write is in the log, retry the read shortly`);
  }
}
