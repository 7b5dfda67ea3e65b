import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { ApiClient, expectError, expectStatus } from '../../test/api-client';
import { rawRequest } from '../../test/raw-http';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * A token never carries more than it was asked for, never lives forever, and is never from the
 * future; a request names its credentials once.
 */
const VIEW = 'internal_cds_profile_view';
const UPDATE = 'internal_cds_profile_update';
const BASIC = `Basic ${Buffer.from('test-client:test-secret').toString('base64')}`;
const now = () => Math.floor(Date.now() / 1000);

async function tokenWithForm(baseUrl: string, form: string) {
  const res = await fetch(`${baseUrl}/t/acme/oauth2/token`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('auth hardening', () => {
  describe('the built-in issuer', () => {
    let running: RunningApp;
    let api: ApiClient;
    let key: Uint8Array;

    beforeAll(async () => {
      running = await startTestApp();
      api = new ApiClient(running.baseUrl, 'acme');
      key = Buffer.from(readFileSync(join(running.dataDir, 'issuer.key'), 'utf8').trim(), 'base64');
    });
    afterAll(() => running.stop());

    /** A token signed with the issuer's own key, with exactly these claims. */
    const forge = (claims: JWTPayload) =>
      new SignJWT({ scope: VIEW, org: 'acme', client_id: 'test-client', ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('cds-built-in-issuer')
        .setAudience('iam-cds')
        .sign(key);
    const readWith = (token: string) => api.request('GET', '/profiles', { token });

    it('gives a repeated scope once, and only that scope', async () => {
      const res = await tokenWithForm(running.baseUrl, `grant_type=client_credentials&scope=${VIEW}&scope=${VIEW}`);
      expectStatus(res as any, 200);
      expect(res.body.scope).toBe(VIEW);
      expectError(await api.request('POST', '/profiles', { body: {}, token: res.body.access_token }), 403, 'insufficient_scope');
    });

    it('joins scopes of repeated fields, and of one field with repeats, without widening', async () => {
      const res = await tokenWithForm(running.baseUrl, `grant_type=client_credentials&scope=${VIEW}+${VIEW}&scope=${UPDATE}`);
      expect(res.body.scope.split(' ').sort()).toEqual([VIEW, UPDATE].sort());
    });

    it.each([
      ['an unknown scope', `scope=${VIEW}+internal_cds_everything`],
      ['an unknown scope in a repeated field', `scope=${VIEW}&scope=admin`],
      ['an empty scope', 'scope='],
    ])('refuses %s with 400 invalid_scope', async (_label, field) => {
      const res = await tokenWithForm(running.baseUrl, `grant_type=client_credentials&${field}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_scope');
    });

    it('refuses a token without exp', async () => {
      expectError(await readWith(await forge({ iat: now() })), 401, 'invalid_token');
    });

    it('refuses a token issued in the future, beyond a minute of clock skew, and one not valid before a later time', async () => {
      expectError(await readWith(await forge({ iat: now() + 365 * 24 * 3600, exp: now() + 400 * 24 * 3600 })), 401, 'invalid_token');
      expectError(await readWith(await forge({ iat: now() + 300, exp: now() + 3600 })), 401, 'invalid_token');
      expectError(await readWith(await forge({ nbf: now() + 300, exp: now() + 3600 })), 401, 'invalid_token');
    });

    it('accepts a token whose iat is a few seconds ahead of this clock', async () => {
      expectStatus(await readWith(await forge({ iat: now() + 20, exp: now() + 3600 })), 200);
    });

    it('refuses two Authorization headers with 400, even when both are valid', async () => {
      const token = await api.token();
      const res = await rawRequest(running.baseUrl, 'GET', '/t/acme/cds/api/v1/profiles', [
        ['Authorization', `Bearer ${token}`],
        ['Authorization', `Bearer ${token}`],
      ]);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 'repeated_header', message: expect.stringContaining('authorization') });
    });

    it('refuses two Authorization headers on the token endpoint too', async () => {
      const res = await rawRequest(
        running.baseUrl,
        'POST',
        '/t/acme/oauth2/token',
        [
          ['Authorization', BASIC],
          ['Authorization', `Basic ${Buffer.from('other:secret').toString('base64')}`],
          ['Content-Type', 'application/x-www-form-urlencoded'],
        ],
        'grant_type=client_credentials',
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('repeated_header');
    });
  });

  describe('tokens from a JWKS URL', () => {
    let jwks: Server;
    let running: RunningApp;
    let api: ApiClient;
    let sign: (claims: JWTPayload) => Promise<string>;

    beforeAll(async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      jwks = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      const address = jwks.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      running = await startTestApp({ CDS_JWKS_URL: `http://127.0.0.1:${port}/jwks`, CDS_JWT_ISSUER: 'https://idp.example' });
      api = new ApiClient(running.baseUrl, 'acme');
      sign = (claims) =>
        new SignJWT({ scope: VIEW, org_handle: 'acme', ...claims })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer('https://idp.example')
          .setAudience('iam-cds')
          .sign(privateKey);
    });
    afterAll(async () => {
      await running.stop();
      await new Promise((resolve) => jwks.close(resolve));
    });

    it('accepts a token with exp', async () => {
      expectStatus(await api.request('GET', '/profiles', { token: await sign({ iat: now(), exp: now() + 600 }) }), 200);
    });

    it('refuses a token without exp, and one issued a year from now', async () => {
      expectError(await api.request('GET', '/profiles', { token: await sign({ iat: now() }) }), 401, 'invalid_token');
      expectError(await api.request('GET', '/profiles', { token: await sign({ iat: now() + 365 * 24 * 3600, exp: now() + 400 * 24 * 3600 }) }), 401, 'invalid_token');
    });
  });
});
