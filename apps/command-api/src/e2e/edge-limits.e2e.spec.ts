import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, ApiResponse, expectError, expectRejected as expectRejectedBy, expectStatus } from '../../test/api-client';
import { rawRequest } from '../../test/raw-http';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * What a careless or hostile client sends is a 4xx in the `{code, message}` shape, answered at
 * once, and appends nothing: deep bodies, bodies that are not objects, bodies that are not JSON,
 * oversized headers, numbers that are not decimal, and too many definitions at once.
 */
const JSON_TYPE = { 'content-type': 'application/json' };
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('edge limits', () => {
  let running: RunningApp;
  let api: ApiClient;
  let profileId: string;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'edge');
    expectStatus(await api.defineAttributes('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }), 201);
    expectStatus(await api.defineAttributes('traits', { attribute_name: 'address', value_type: 'complex', merge_strategy: 'overwrite' }), 201);
    const created = await api.createProfile({});
    expectStatus(created, 201);
    profileId = created.body.profile_id;
  });
  afterAll(() => running.stop());

  const expectRejected = (send: () => Promise<ApiResponse>, status: number, code?: string) => expectRejectedBy(api, send, status, code);
  const raw = (method: string, path: string, rawBody: string, headers: Record<string, string> = JSON_TYPE) =>
    api.request(method, path, { rawBody, headers });

  describe('bodies nested 5,000 deep', () => {
    it.each([
      ['POST', '/unification-rules', `{"rule_name": ${nested(5000)}}`],
      ['PATCH', '/unification-rules/some-rule', `{"rule_name": ${nested(5000)}}`],
      ['PUT', '/unification-rules/priorities', `{"priorities": ${nested(5000)}}`],
      ['POST', '/profiles/sync', `{"user_id": ${nested(5000)}}`],
      ['POST', '/profiles', `{"traits": {"address": ${nested(5000)}}}`],
      ['POST', '/profile-schema/traits', nested(5000)],
    ])('%s %s answers 400 body_too_deep', async (method, path, body) => {
      await expectRejected(() => raw(method, path, body), 400, 'body_too_deep');
    });

    it('counts brackets inside strings as text, not nesting', async () => {
      const res = await api.patchProfile(profileId, { traits: { address: { note: '['.repeat(5000) } } });
      expectStatus(res, 200);
    });

    it('takes a complex value nested as deep as a complex attribute may be', async () => {
      let value: unknown = 'deep';
      for (let i = 0; i < 15; i++) value = { inner: value };
      expectStatus(await api.patchProfile(profileId, { traits: { address: value } }), 200);
    });
  });

  describe('bodies that are not an object', () => {
    it.each([
      ['PATCH', '/profiles/:id'],
      ['POST', '/profiles'],
      ['POST', '/unification-rules'],
      ['PATCH', '/unification-rules/some-rule'],
      ['POST', '/profiles/sync'],
      ['PUT', '/profile-schema/traits/some-attribute'],
    ])('%s %s with a JSON null body answers 400', async (method, path) => {
      await expectRejected(() => raw(method, path.replace(':id', profileId), 'null'), 400, 'invalid_body');
    });

    it('PATCH /profiles/{id} without a body answers 400', async () => {
      await expectRejected(() => api.request('PATCH', `/profiles/${profileId}`), 400, 'invalid_body');
    });

    it('POST /profile-schema/{scope} with an empty list answers 400 and defines nothing, with an Idempotency-Key too', async () => {
      await expectRejected(() => api.defineAttributes('traits', []), 400);
      await expectRejected(() => api.request('POST', '/profile-schema/traits', { body: [], headers: { 'idempotency-key': 'empty-list' } }), 400, 'empty_request');
      expect((await api.readSchema('traits')).body.map((d: { name: string }) => d.name)).toEqual(['address']);
    });
  });

  describe('bodies that are not JSON', () => {
    it.each([
      ['text/plain', 'POST', '/profiles', '{}'],
      ['text/plain', 'PATCH', '/profiles/:id', '{"traits":{}}'],
      ['application/x-www-form-urlencoded', 'POST', '/profiles', 'traits=x'],
      ['application/xml', 'POST', '/unification-rules', '<rule/>'],
    ])('%s on %s %s answers 415', async (type, method, path, body) => {
      await expectRejected(() => raw(method, path.replace(':id', profileId), body, { 'content-type': type }), 415, 'unsupported_media_type');
    });

    it('a JSON body on the token endpoint, which takes a form, answers 415', async () => {
      const res = await fetch(`${running.baseUrl}/t/edge/oauth2/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('test-client:test-secret').toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ code: 'unsupported_media_type' });
    });
  });

  describe('headers and URLs over 16 KB', () => {
    it('a header over 16 KB answers 431 in the error shape', async () => {
      const res = await rawRequest(running.baseUrl, 'GET', '/health/live', [['X-Padding', 'a'.repeat(20_000)]]);
      expect(res.status).toBe(431);
      expect(res.body).toEqual({ code: 'headers_too_large', message: expect.any(String) });
    });

    it('a URL over 16 KB answers 431 in the error shape', async () => {
      const res = await rawRequest(running.baseUrl, 'GET', `/t/edge/cds/api/v1/profiles?filter=${'a'.repeat(20_000)}`, []);
      expect(res.status).toBe(431);
      expect(res.body).toEqual({ code: 'headers_too_large', message: expect.any(String) });
    });
  });

  describe('numbers in the query string', () => {
    it.each([
      ['page_size=0x10', '/profiles?page_size=0x10', 'invalid_page_size'],
      ['page_size=1e1', '/profiles?page_size=1e1', 'invalid_page_size'],
      ['page_size= 5', '/profiles?page_size=%205', 'invalid_page_size'],
      ['page_size=+5', '/profiles?page_size=%2B5', 'invalid_page_size'],
      ['an empty page_size', '/profiles?page_size=', 'invalid_page_size'],
      ['page_size twice', '/profiles?page_size=5&page_size=6', 'invalid_page_size'],
      ['an empty wait_for_position', '/profiles?wait_for_position=', 'invalid_position'],
      ['wait_for_position=1e3', '/profiles?wait_for_position=1e3', 'invalid_position'],
      ['an empty cursor on a list', '/profiles?cursor=', 'invalid_cursor'],
      ['history page_size=0x10', '/profiles/:id/history?page_size=0x10', 'invalid_page_size'],
      ['an empty history cursor', '/profiles/:id/history?cursor=', 'invalid_cursor'],
      ['a profile read with wait_for_position=0x1', '/profiles/:id?wait_for_position=0x1', 'invalid_position'],
    ])('%s answers 400', async (_label, path, code) => {
      expectError(await api.request('GET', path.replace(':id', profileId)), 400, code);
    });

    it('decimal digits are read as the number they say', async () => {
      const res = await api.request('GET', '/profiles?page_size=007');
      expectStatus(res, 200);
      expect(res.body.pagination.page_size).toBe(7);
    });
  });

  describe("operators' endpoints", () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${running.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${readFileSync(join(running.dataDir, 'admin.token'), 'utf8').trim()}`, ...(body === undefined ? {} : JSON_TYPE) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    it('refuses a rebuild with batch_size null instead of taking the default', async () => {
      const res = await admin('POST', '/admin/rebuild', { batch_size: null });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_body');
    });

    it('checks sample_ms on the status even when it has no use for it', async () => {
      expect((await admin('GET', '/admin/status?sample_ms=10001')).status).toBe(400);
      expect((await admin('GET', '/admin/status?sample_ms=0x1')).status).toBe(400);
      expect((await admin('GET', '/admin/status?sample_ms=10')).status).toBe(200);
    });
  });

  describe('defining attributes in bulk', () => {
    const attributes = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, i) => ({ attribute_name: `${prefix}_${i}`, value_type: 'string', merge_strategy: 'overwrite' }));

    it('refuses 10,000 definitions in one request with 400 naming the cap, defining none', async () => {
      const res = await expectRejected(() => api.defineAttributes('traits', attributes(10_000, 'bulk')), 400, 'too_many_attributes');
      expect(res.body.message).toContain('1000');
    });

    it('defines 1,000 in one request, and the service keeps answering', async () => {
      const res = await api.defineAttributes('traits', attributes(1000, 'many'));
      expectStatus(res, 201);
      expect(res.body).toHaveLength(1000);
      expectStatus(await api.defineAttributes('traits', attributes(1000, 'more')), 201);
      expect((await fetch(`${running.baseUrl}/health/live`)).status).toBe(200);
      expect((await api.readSchema('traits')).body).toHaveLength(2001);
    });
  });
});
