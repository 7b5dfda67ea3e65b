import { hash, randomUUID } from 'node:crypto';

const KEYED_NAMESPACE = '8c1f4e2a-7b3d-4a9e-b5c6-2d0e9f8a7b61';
const NAMESPACE_BYTES = Buffer.from(KEYED_NAMESPACE.replaceAll('-', ''), 'hex');

/**
 * The id of one event. Without a seed it is random: nothing a caller sends (a request id, a body)
 * can make two different writes look like one. A seed comes from an idempotency key and the
 * request's fingerprint, so the same request retried while the first attempt is still in flight
 * proposes the same id, and the log stores it once.
 */
export function eventId(seed?: string): string {
  return seed === undefined ? randomUUID() : nameBasedUuid(seed);
}

/**
 * RFC 9562 version 5 (SHA-1, name-based) in the keyed namespace: the ids stored so far were made
 * this way, so a retry still proposes the id its first attempt did. One SHA-1 call; the `uuid`
 * package's v5 spent three times as long per id, which a Kafka batch pays for every message.
 */
function nameBasedUuid(name: string): string {
  const digest = hash('sha1', Buffer.concat([NAMESPACE_BYTES, Buffer.from(name, 'utf8')]), 'buffer');
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
