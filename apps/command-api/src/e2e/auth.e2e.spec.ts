import { ApiClient, ApiResponse, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * SPEC §6 "Auth": client-credentials tokens from the built-in issuer, bound to the organization
 * of the token URL and carrying the scopes asked for; every API route wants a bearer token of
 * the path's organization with the route's scope.
 */
const SCOPE = {
  create: 'internal_cds_profile_create',
  update: 'internal_cds_profile_update',
  view: 'internal_cds_profile_view',
  delete: 'internal_cds_profile_delete',
  merge: 'internal_cds_profile_merge',
  schemaView: 'internal_cds_profile_schema_view',
  schemaManage: 'internal_cds_profile_schema_manage',
  rulesView: 'internal_cds_unification_rules_view',
  rulesManage: 'internal_cds_unification_rules_manage',
};
const ALL_SCOPES = Object.values(SCOPE);

const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
const scopesOf = (scope: string) => scope.split(' ').sort();

describe('auth', () => {
  let running: RunningApp;
  let api: ApiClient;
  const ORG = 'acme';
  const CLIENT = { grant_type: 'client_credentials' };

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, ORG);
    expectStatus(await api.defineAttributes('traits', { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }), 201);
  });
  afterAll(() => running.stop());

  describe('POST /t/{org}/oauth2/token', () => {
    it('issues a Bearer token for Basic credentials, with every scope when none is asked for', async () => {
      const res = await api.tokenRequest(CLIENT, { authorization: basic('test-client', 'test-secret') });
      expectStatus(res, 200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'Bearer',
        expires_in: expect.any(Number),
        scope: expect.any(String),
      });
      expect(res.body.expires_in).toBeGreaterThan(0);
      expect(scopesOf(res.body.scope)).toEqual([...ALL_SCOPES].sort());
      expect(claimsOf(res.body.access_token)).toMatchObject({ aud: 'iam-cds', org: ORG });
    });

    it('issues a token for client_id and client_secret in the form body, with exactly the scopes asked for', async () => {
      const res = await api.tokenRequest({
        ...CLIENT,
        client_id: 'test-client',
        client_secret: 'test-secret',
        scope: `${SCOPE.view} ${SCOPE.create}`,
      });
      expectStatus(res, 200);
      expect(scopesOf(res.body.scope)).toEqual([SCOPE.create, SCOPE.view].sort());
      expect(scopesOf(claimsOf(res.body.access_token).scope)).toEqual([SCOPE.create, SCOPE.view].sort());
    });

    it('binds the token to the organization of the token URL', async () => {
      const res = await api.tokenRequest(CLIENT, { authorization: basic('test-client', 'test-secret') }, 'globex');
      expectStatus(res, 200);
      expect(claimsOf(res.body.access_token).org).toBe('globex');
    });

    it.each([
      ['a wrong secret (Basic)', {}, { authorization: basic('test-client', 'wrong') }],
      ['a wrong secret (form)', { client_id: 'test-client', client_secret: 'wrong' }, {}],
      ['an unknown client', {}, { authorization: basic('someone-else', 'test-secret') }],
      ['no credentials at all', {}, {}],
      ['Basic credentials without a colon', {}, { authorization: `Basic ${Buffer.from('test-client').toString('base64')}` }],
    ])('refuses %s with 401 invalid_client', async (_label, form, headers) => {
      const res = await api.tokenRequest({ ...CLIENT, ...form }, headers);
      expectError(res, 401, 'invalid_client');
      expect(res.body.access_token).toBeUndefined();
    });

    it('refuses Basic credentials that are not valid percent-encoding with 401, not 500', async () => {
      const res = await api.tokenRequest(CLIENT, { authorization: basic('test-client', '%E0%A4%A') });
      expectError(res, 401, 'invalid_client');
    });

    it.each([['nonsense'], [`${SCOPE.view} internal_cds_everything`]])('refuses the unknown scope in "%s" with 400 invalid_scope', async (scope) => {
      const res = await api.tokenRequest({ ...CLIENT, scope }, { authorization: basic('test-client', 'test-secret') });
      expectError(res, 400, 'invalid_scope');
    });

    it.each([['password'], ['authorization_code'], ['']])('refuses grant_type "%s" with 400', async (grantType) => {
      const form: Record<string, string> = grantType ? { grant_type: grantType } : {};
      const res = await api.tokenRequest(form, { authorization: basic('test-client', 'test-secret') });
      expectError(res, 400, 'unsupported_grant_type');
    });

    it('refuses a token for something that is not an organization handle with 400', async () => {
      const res = await api.tokenRequest(CLIENT, { authorization: basic('test-client', 'test-secret') }, 'Not.A.Handle');
      expectError(res, 400, 'invalid_organization');
    });
  });

  describe('bearer tokens on the API', () => {
    let profileId: string;

    beforeAll(async () => {
      profileId = (await api.createProfile({})).body.profile_id;
    });

    it('answers 401 missing_token without a token, and appends nothing', async () => {
      await expectNothingAppended(api, async () => {
        expectError(await api.request('POST', '/profiles', { body: {}, token: null }), 401, 'missing_token');
        expectError(await api.request('GET', `/profiles/${profileId}`, { token: null }), 401, 'missing_token');
      });
    });

    it('answers 401 to Basic credentials on an API route', async () => {
      const res = await api.request('GET', '/profiles', {
        token: null,
        headers: { authorization: basic('test-client', 'test-secret') },
      });
      expectError(res, 401, 'missing_token');
    });

    it('answers 401 invalid_token to a token that is not one, or not ours', async () => {
      const genuine = await api.token();
      const [header, payload, signature] = genuine.split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ ...claimsOf(genuine), org: 'globex' })).toString('base64url');
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      const elsewhere = await startTestApp();
      try {
        const foreign = await new ApiClient(elsewhere.baseUrl, ORG).token();
        for (const token of [
          'garbage',
          'a.b.c',
          `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
          `${header}.${forgedPayload}.${signature}`,
          unsigned,
          foreign,
        ]) {
          await expectNothingAppended(api, async () => {
            expectError(await api.request('POST', '/profiles', { body: {}, token }), 401, 'invalid_token');
          });
        }
      } finally {
        await elsewhere.stop();
      }
    });

    it("answers 403 wrong_organization to another organization's token, and appends nothing", async () => {
      const globexToken = await api.token(undefined, 'globex');
      await expectNothingAppended(api, async () => {
        expectError(await api.request('GET', `/profiles/${profileId}`, { token: globexToken }), 403, 'wrong_organization');
        expectError(
          await api.request('PATCH', `/profiles/${profileId}`, { body: { traits: { visits: 1 } }, token: globexToken }),
          403,
          'wrong_organization',
        );
        expectError(await api.request('POST', '/profiles', { body: {}, token: globexToken }), 403, 'wrong_organization');
      });
    });

    /** One call per route family; `prepare` makes what the call needs with a full token. */
    interface RouteCase {
      route: string;
      scope: string;
      ok: number;
      prepare?: () => Promise<string>;
      call: (token: string, subject: string) => Promise<ApiResponse>;
    }
    const newProfile = async () => {
      const created = await api.createProfile({});
      await api.catchUp(created.position);
      return created.body.profile_id as string;
    };
    const newTracker = async () => (await api.createProfile({})).body.anonymous_profile_tracker as string;
    let attributeCount = 0;
    const newAttribute = async () => {
      const name = `spare_${++attributeCount}`;
      const res = await api.defineAttributes('traits', { attribute_name: name, value_type: 'string', merge_strategy: 'overwrite' });
      expectStatus(res, 201);
      return res.body.attribute_id as string;
    };
    const routes: RouteCase[] = [
      { route: 'POST /profiles', scope: SCOPE.create, ok: 201, call: (token) => api.request('POST', '/profiles', { body: {}, token }) },
      {
        route: 'PATCH /profiles/{id}',
        scope: SCOPE.update,
        ok: 200,
        prepare: newProfile,
        call: (token, id) => api.request('PATCH', `/profiles/${id}`, { body: { traits: { visits: 1 } }, token }),
      },
      {
        route: 'POST /profiles/sync',
        scope: SCOPE.update,
        ok: 200,
        prepare: newTracker,
        call: (token, tracker) =>
          api.request('POST', '/profiles/sync', {
            body: { event: 'AUTHENTICATION_SUCCESS', user_id: `user-${tracker}`, anonymous_profile_tracker: tracker },
            token,
          }),
      },
      {
        route: 'GET /profiles/{id}',
        scope: SCOPE.view,
        ok: 200,
        prepare: newProfile,
        call: (token, id) => api.request('GET', `/profiles/${id}`, { token }),
      },
      { route: 'GET /profiles', scope: SCOPE.view, ok: 200, call: (token) => api.request('GET', '/profiles', { token }) },
      {
        route: 'DELETE /profiles/{id}',
        scope: SCOPE.delete,
        ok: 204,
        prepare: newProfile,
        call: (token, id) => api.request('DELETE', `/profiles/${id}`, { token }),
      },
      { route: 'GET /profile-schema', scope: SCOPE.schemaView, ok: 200, call: (token) => api.request('GET', '/profile-schema', { token }) },
      {
        route: 'GET /profile-schema/{scope}',
        scope: SCOPE.schemaView,
        ok: 200,
        call: (token) => api.request('GET', '/profile-schema/traits', { token }),
      },
      {
        route: 'GET /profile-schema/{scope}/{id}',
        scope: SCOPE.schemaView,
        ok: 200,
        prepare: newAttribute,
        call: (token, id) => api.request('GET', `/profile-schema/traits/${id}`, { token }),
      },
      {
        route: 'POST /profile-schema/{scope}',
        scope: SCOPE.schemaManage,
        ok: 201,
        call: (token) =>
          api.request('POST', '/profile-schema/traits', {
            body: { attribute_name: `defined_${++attributeCount}`, value_type: 'string', merge_strategy: 'overwrite' },
            token,
          }),
      },
      {
        route: 'PUT /profile-schema/{scope}/{id}',
        scope: SCOPE.schemaManage,
        ok: 200,
        prepare: newAttribute,
        call: (token, id) => api.request('PUT', `/profile-schema/traits/${id}`, { body: { merge_strategy: 'oldest' }, token }),
      },
      {
        route: 'DELETE /profile-schema/{scope}/{id}',
        scope: SCOPE.schemaManage,
        ok: 204,
        prepare: newAttribute,
        call: (token, id) => api.request('DELETE', `/profile-schema/traits/${id}`, { token }),
      },
    ];

    describe.each(routes)('$route', ({ scope, ok, prepare, call }) => {
      it(`answers 403 insufficient_scope to a token with every scope but ${scope}, and appends nothing`, async () => {
        const subject = (await prepare?.()) ?? '';
        const token = await api.token(ALL_SCOPES.filter((s) => s !== scope).join(' '));
        await expectNothingAppended(api, async () => {
          const res = await call(token, subject);
          expectError(res, 403, 'insufficient_scope');
          expect(res.body.message).toContain(scope);
        });
      });

      it(`answers ${ok} to a token with ${scope} alone`, async () => {
        const subject = (await prepare?.()) ?? '';
        expectStatus(await call(await api.token(scope), subject), ok);
      });
    });
  });
});
