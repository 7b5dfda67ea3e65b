import { createHash } from 'node:crypto';
import { idempotentRequest } from './idempotency';

describe('idempotentRequest', () => {
  it('fingerprints a request as stored events already record it, so a retry after an upgrade is still the same request', () => {
    const canonical = '{"body":{"traits":{"pages":["/a","/ü"],"visits":1}},"profile_id":"p-1","write":"patch"}';
    const stored = createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
    const request = idempotentRequest('key-1', { write: 'patch', profile_id: 'p-1', body: { traits: { visits: 1, pages: ['/a', '/ü'] } } });
    expect(request).toEqual({ idempotency_key: 'key-1', request_fingerprint: stored });
  });

  it('gives the same request the same fingerprint whatever the order of its fields, and another request another one', () => {
    const one = idempotentRequest('k', { write: 'patch', body: { traits: { a: 1, b: 2 } } });
    expect(idempotentRequest('k', { body: { traits: { b: 2, a: 1 } }, write: 'patch' })).toEqual(one);
    expect(idempotentRequest('k', { write: 'patch', body: { traits: { a: 1, b: 3 } } }).request_fingerprint).not.toBe(one.request_fingerprint);
    expect(idempotentRequest('k', { write: 'patch', profile_id: undefined, body: { traits: { a: 1, b: 2 } } })).toEqual(one);
  });
});
