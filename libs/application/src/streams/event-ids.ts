import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

const KEYED_NAMESPACE = '8c1f4e2a-7b3d-4a9e-b5c6-2d0e9f8a7b61';

/**
 * The id of one event. Without a seed it is random: nothing a caller sends (a request id, a body)
 * can make two different writes look like one. A seed comes from an idempotency key and the
 * request's fingerprint, so the same request retried while the first attempt is still in flight
 * proposes the same id, and the log stores it once.
 */
export function eventId(seed?: string): string {
  return seed === undefined ? randomUUID() : uuidv5(seed, KEYED_NAMESPACE);
}
