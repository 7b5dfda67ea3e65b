/**
 * Optimistic-concurrency and idempotency rules of an append, mirroring the server:
 *
 * - `exact`/`no_stream` (no_stream is "exact revision -1"): write when the stream's last revision
 *   equals the expected one. When the stream is already further along, the append is an
 *   idempotent retry if the proposed ids are exactly the events that follow the expected revision;
 *   it then succeeds without writing anything. Anything else is a wrong expected version.
 * - `any`: write, unless the first proposed id already exists in the stream. Then it is an
 *   idempotent retry if all proposed ids follow in order; a partial match is reported as a wrong
 *   expected version (the server does the same for a "corrupted" idempotent write).
 * - `stream_exists`: wrong expected version when the stream does not exist, otherwise like `any`.
 */
import type { ExpectedRevision } from './types';

/** Read-only view of one stream as the rules need it. */
export interface StreamView {
  readonly length: number;
  idAt(index: number): string | undefined;
  /** Index of the event with this id, or -1. */
  indexOfId(id: string): number;
}

export type AppendDecision =
  | { readonly kind: 'write' }
  | { readonly kind: 'idempotent'; readonly lastIndex: number }
  | { readonly kind: 'wrong_expected_version' };

const WRITE: AppendDecision = { kind: 'write' };
const WRONG: AppendDecision = { kind: 'wrong_expected_version' };

export function decideAppend(
  stream: StreamView,
  expected: ExpectedRevision,
  proposedIds: readonly string[],
): AppendDecision {
  switch (expected.kind) {
    case 'any':
      return matchWherever(stream, proposedIds);
    case 'stream_exists':
      return stream.length === 0 ? WRONG : matchWherever(stream, proposedIds);
    case 'no_stream':
      return matchAfter(stream, -1, proposedIds);
    case 'exact':
      // Revisions are unsigned 64-bit on the wire; anything beyond the stream length is simply
      // "not the current revision", so it is safe to clamp before converting to a number.
      return expected.revision > BigInt(stream.length)
        ? WRONG
        : matchAfter(stream, Number(expected.revision), proposedIds);
  }
}

function matchAfter(stream: StreamView, expectedIndex: number, ids: readonly string[]): AppendDecision {
  const currentIndex = stream.length - 1;
  if (expectedIndex === currentIndex) return WRITE;
  if (expectedIndex > currentIndex || ids.length === 0) return WRONG;
  return isRunAt(stream, expectedIndex + 1, ids)
    ? { kind: 'idempotent', lastIndex: expectedIndex + ids.length }
    : WRONG;
}

function matchWherever(stream: StreamView, ids: readonly string[]): AppendDecision {
  if (ids.length === 0) return WRITE;
  const start = stream.indexOfId(ids[0]);
  if (start < 0) return WRITE;
  return isRunAt(stream, start, ids) ? { kind: 'idempotent', lastIndex: start + ids.length - 1 } : WRONG;
}

/** True when the stream holds exactly `ids`, in order, starting at `start`. */
function isRunAt(stream: StreamView, start: number, ids: readonly string[]): boolean {
  return ids.every((id, offset) => stream.idAt(start + offset) === id);
}
