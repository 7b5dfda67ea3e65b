/**
 * Optimistic concurrency and idempotent retries, following EventStoreDB so the embedded log and
 * the server agree (event ids are deterministic per command, so a retry carries the same ids):
 *
 * - a number or 'no_stream' (revision -1): write when the stream's last revision is the expected
 *   one. When the stream is further along, the append is a retry if the events right after the
 *   expected revision carry exactly the proposed ids; it succeeds without writing.
 * - 'any': write, unless the first proposed id is a recent event of the stream; then it is a
 *   retry if all proposed ids follow in order, otherwise a wrong expected revision.
 * - 'stream_exists': wrong when the stream has no events, otherwise like 'any'.
 *
 * The decision is synchronous so it sees every append accepted before it. Comparing ids needs
 * the stored events, so a possible retry is confirmed afterwards; that is safe because events at
 * a given revision never change once accepted.
 */
import type { ExpectedRevision } from '@cds/application';

export type AppendDecision =
  | { readonly kind: 'write' }
  | { readonly kind: 'wrong' }
  /** A retry if the stream's events from revision `start` carry the proposed ids. */
  | { readonly kind: 'retry_candidate'; readonly start: number };

const WRITE: AppendDecision = { kind: 'write' };
const WRONG: AppendDecision = { kind: 'wrong' };

export function isExpectedRevision(value: unknown): value is ExpectedRevision {
  return (
    value === 'any' ||
    value === 'no_stream' ||
    value === 'stream_exists' ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  );
}

/**
 * @param lastRevision revision of the stream's last accepted event, -1 when it has none
 * @param recentRevision revision of a recent event of the stream with the given id, if known
 */
export function decideAppend(
  lastRevision: number,
  expected: ExpectedRevision,
  proposedIds: readonly string[],
  recentRevision: (id: string) => number | undefined,
): AppendDecision {
  switch (expected) {
    case 'any':
      return matchWherever(lastRevision, proposedIds, recentRevision);
    case 'stream_exists':
      return lastRevision < 0 ? WRONG : matchWherever(lastRevision, proposedIds, recentRevision);
    case 'no_stream':
      return matchAfter(lastRevision, -1, proposedIds);
    default:
      return matchAfter(lastRevision, expected, proposedIds);
  }
}

function matchAfter(lastRevision: number, expected: number, ids: readonly string[]): AppendDecision {
  if (expected === lastRevision) return WRITE;
  if (expected > lastRevision || ids.length === 0) return WRONG;
  return candidate(lastRevision, expected + 1, ids.length);
}

function matchWherever(
  lastRevision: number,
  ids: readonly string[],
  recentRevision: (id: string) => number | undefined,
): AppendDecision {
  if (ids.length === 0) return WRITE;
  const start = recentRevision(ids[0]);
  return start === undefined ? WRITE : candidate(lastRevision, start, ids.length);
}

/** Only a run of events that all exist already can be a retry. */
const candidate = (lastRevision: number, start: number, count: number): AppendDecision =>
  start + count - 1 <= lastRevision ? { kind: 'retry_candidate', start } : WRONG;
