import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

const KEYED_NAMESPACE = '8c1f4e2a-7b3d-4a9e-b5c6-2d0e9f8a7b61';

/**
 * Ids for the events of one append. Without an idempotency key they are random: nothing a caller
 * sends (a request id, a body) can make two different writes look like one. With a key they
 * derive from the key and the request's fingerprint, so the same request retried while the first
 * attempt is still in flight proposes the same ids, and the log stores it once.
 */
export function eventIds(count: number, keyed?: { seed: string }): string[] {
  return Array.from({ length: count }, (_, i) => (keyed ? uuidv5(`${keyed.seed}#${i}`, KEYED_NAMESPACE) : randomUUID()));
}
