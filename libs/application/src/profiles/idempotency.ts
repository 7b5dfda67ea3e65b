import { hash } from 'node:crypto';
import { canonicalJson, IdempotentRequest, JsonValue, unprocessable } from '@cds/domain';
import { SeenRequest } from './key-window';

/**
 * What a keyed request said, as a digest: the route, the addressed profile and the body. The
 * same Idempotency-Key with the same request is a retry; with another request it is a mistake
 * the caller must hear about (the IETF Idempotency-Key draft answers 422).
 */
export function idempotentRequest(key: string, request: { [part: string]: JsonValue | undefined }): IdempotentRequest {
  const parts: { [part: string]: JsonValue } = {};
  for (const [name, value] of Object.entries(request)) if (value !== undefined) parts[name] = value;
  return { idempotency_key: key, request_fingerprint: hash('sha256', canonicalJson(parts), 'base64url').slice(0, 22) };
}

/** Seeds the ids of a keyed write: the same request retried proposes the same events to the log. */
export const keyedIdSeed = (tenant: string, request: IdempotentRequest): string =>
  `${tenant}/${request.idempotency_key}/${request.request_fingerprint}`;

/** A retry of `request` that was applied before, or the refusal when the key was used for another request. */
export function sameRequestOrRefuse(seen: SeenRequest, request: IdempotentRequest): SeenRequest {
  if (seen.fingerprint === request.request_fingerprint) return seen;
  throw unprocessable(
    'idempotency_key_reused',
    'This Idempotency-Key was used before for a different request; use a new key for a new request',
  );
}
