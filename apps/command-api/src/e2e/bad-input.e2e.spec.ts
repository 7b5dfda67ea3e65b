import { ApiClient, ApiResponse, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * SPEC §4 and §6: anything the caller got wrong is a 4xx `{code, message, details?}`, never a
 * 5xx, and a rejected request appends nothing to the log.
 */
describe('bad input', () => {
  let running: RunningApp;
  let api: ApiClient;
  let profileId: string;
  let tracker: string;
  const JSON_TYPE = { 'content-type': 'application/json' };

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'strict');
    const defined = [
      await api.defineAttributes('traits', [
        { attribute_name: 'nickname', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'score', value_type: 'decimal', merge_strategy: 'overwrite' },
        { attribute_name: 'opted_in', value_type: 'boolean', merge_strategy: 'overwrite' },
        { attribute_name: 'last_seen', value_type: 'date_time', merge_strategy: 'overwrite' },
        { attribute_name: 'address', value_type: 'complex', merge_strategy: 'overwrite' },
        { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
      ]),
      await api.defineAttributes('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }),
      await api.defineAttributes('application_data', {
        attribute_name: 'cart',
        value_type: 'string',
        multi_valued: true,
        merge_strategy: 'combine',
        application_identifier: 'shop',
      }),
    ];
    defined.forEach((res) => expectStatus(res, 201));
    const created = await api.createProfile({ traits: { nickname: 'ada' } });
    profileId = created.body.profile_id;
    tracker = created.body.anonymous_profile_tracker;
  });
  afterAll(() => running.stop());

  /** Sends `send`, expects a 4xx error of that status (and code) and an unmoved log. */
  async function expectRejected(send: () => Promise<ApiResponse>, status: number, code?: string): Promise<ApiResponse> {
    const res = await expectNothingAppended(api, send);
    expectError(res, status, code);
    return res;
  }
  const patch = (body: unknown, headers: Record<string, string> = {}) => api.patchProfile(profileId, body, headers);
  const patchRaw = (rawBody: string, headers: Record<string, string> = JSON_TYPE) =>
    api.request('PATCH', `/profiles/${profileId}`, { rawBody, headers });

  describe('request bodies', () => {
    it.each<[string, () => Promise<ApiResponse>, number]>([
      ['malformed JSON', () => patchRaw('{"traits": {"nickname": '), 400],
      ['an empty body declared as JSON', () => patchRaw(''), 400],
      ['JSON with a __proto__ key', () => patchRaw('{"traits": {"__proto__": {"nickname": "x"}}}'), 400],
      ['a JSON array instead of an object', () => patch([{ traits: { nickname: 'x' } }]), 400],
      ['a JSON string instead of an object', () => patch('nickname=x'), 400],
      ['a body that is not JSON (415)', () => patchRaw('nickname=x', { 'content-type': 'text/plain' }), 415],
      ['a scope that is not an object', () => patch({ traits: 'nickname=x' }), 400],
      ['an unknown top-level field', () => patch({ traits: { nickname: 'x' }, profile_id: 'mine' }), 400],
      ['tracking_consent on a PATCH', () => patch({ tracking_consent: false }), 400],
    ])('refuses %s', async (_label, send, status) => {
      await expectRejected(send, status);
    });

    it('refuses a body over 1 MiB with 413', async () => {
      await expectRejected(() => patch({ traits: { nickname: 'x'.repeat(1024 * 1024 + 1) } }), 413);
      await expectRejected(() => api.createProfile({ traits: { interests: Array(120_000).fill('padding') } }), 413);
    });

    it.each<[string, unknown]>([
      ['an unknown top-level field', { traits: {}, user_id: 'someone' }],
      ['an undefined attribute', { traits: { shoe_size: 42 } }],
      ['a wrongly typed value', { traits: { visits: 'many' } }],
      ['a non-boolean tracking_consent', { tracking_consent: 'yes' }],
    ])('refuses a create with %s', async (_label, body) => {
      await expectRejected(() => api.createProfile(body), 400);
    });
  });

  describe('attribute values', () => {
    it('refuses an attribute that is not defined, naming it', async () => {
      const res = await expectRejected(() => patch({ traits: { shoe_size: 42 } }), 400, 'invalid_attributes');
      expect(res.body.details).toEqual([{ field: 'traits.shoe_size', reason: expect.stringContaining('not defined') }]);
    });

    it('refuses an attribute written in the wrong scope, saying where it is defined', async () => {
      const res = await expectRejected(() => patch({ identity_attributes: { nickname: 'ada' } }), 400, 'invalid_attributes');
      expect(res.body.details).toEqual([{ field: 'identity_attributes.nickname', reason: expect.stringContaining('traits') }]);
      const inTraits = await expectRejected(() => patch({ traits: { email: 'ada@example.com' } }), 400);
      expect(inTraits.body.details[0].reason).toContain('identity_attributes');
    });

    it("refuses an application's attribute written under another application, naming the right one", async () => {
      const res = await expectRejected(() => patch({ application_data: { blog: { cart: ['sku-1'] } } }), 400);
      expect(res.body.details).toEqual([{ field: 'application_data.blog.cart', reason: expect.stringContaining('shop') }]);
    });

    it.each<[string, string, unknown]>([
      ['a number for a string', 'nickname', 42],
      ['an array for a single-valued string', 'nickname', ['ada']],
      ['a string longer than 8192 characters', 'nickname', 'x'.repeat(8193)],
      ['a string for an integer', 'visits', '3'],
      ['a fraction for an integer', 'visits', 1.5],
      ['an integer beyond 2^53', 'visits', 2 ** 53 + 2],
      ['a string for a decimal', 'score', 'high'],
      ['a string for a boolean', 'opted_in', 'yes'],
      ['0 for a boolean', 'opted_in', 0],
      ['words for a date_time', 'last_seen', 'yesterday'],
      ['a date that does not exist', 'last_seen', '2025-02-30'],
      ['a number for a date_time', 'last_seen', 1700000000000],
      ['a string for a complex value', 'address', 'Main St 1'],
      ['an array for a complex value', 'address', [{ street: 'Main St' }]],
      ['a single value for a multi-valued attribute', 'interests', 'running'],
      ['a multi-valued attribute with one wrong item', 'interests', ['running', 7]],
    ])('refuses %s', async (_label, attribute, value) => {
      const res = await expectRejected(() => patch({ traits: { [attribute]: value } }), 400, 'invalid_attributes');
      expect(res.body.details).toEqual([{ field: `traits.${attribute}`, reason: expect.any(String) }]);
    });

    it.each<[string, unknown]>([
      ['a $-prefixed key', { $where: 'sleep(1000)' }],
      ['a dotted key', { 'street.name': 'Main St' }],
      ['a $-prefixed key deep inside', { lines: { first: { $gt: '' } } }],
      ['a dotted key inside a list', { lines: [{ 'a.b': 1 }] }],
      ['an empty key', { '': 'nothing' }],
    ])('refuses a complex value with %s', async (_label, address) => {
      const res = await expectRejected(() => patch({ traits: { address } }), 400, 'invalid_attributes');
      expect(res.body.details[0]).toEqual({ field: 'traits.address', reason: expect.stringMatching(/\$|dot|empty/) });
    });

    it('writes nothing of a body where only one value is wrong', async () => {
      await expectRejected(() => patch({ traits: { nickname: 'grace', visits: 'one' }, identity_attributes: { email: 'g@example.com' } }), 400);
      const profile = await api.getProfile(profileId, (await api.logHead())!);
      expect(profile.body.traits).toEqual({ nickname: 'ada' });
      expect(profile.body.identity_attributes).toEqual({});
    });

    it('reports every problem of a body at once', async () => {
      const res = await expectRejected(() => patch({ traits: { shoe_size: 1, visits: 'x' }, identity_attributes: { nickname: 'y' } }), 400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(
        ['identity_attributes.nickname', 'traits.shoe_size', 'traits.visits'].sort(),
      );
    });
  });

  describe('paths, query strings and headers', () => {
    it.each([['GET'], ['PATCH'], ['DELETE']])('%s of a profile id that is not a UUID is 400 invalid_profile_id', async (method) => {
      await expectRejected(() => api.request(method, '/profiles/not-a-profile', method === 'PATCH' ? { body: {} } : {}), 400, 'invalid_profile_id');
    });

    it('refuses an organization handle that is not one: 400 at the token endpoint, 4xx on the API', async () => {
      const form = { grant_type: 'client_credentials', client_id: 'test-client', client_secret: 'test-secret' };
      expectError(await api.tokenRequest(form, {}, 'Bad.Org'), 400, 'invalid_organization');
      // No token can name such an organization, so the API answers that the token is not for it.
      const res = await expectNothingAppended(api, () => api.request('POST', '/t/Bad.Org/cds/api/v1/profiles', { body: {} }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectError(res, res.status);
    });

    it.each([
      ['no operator', 'traits.nickname'],
      ['an unknown operator', 'traits.nickname gt a'],
      ['an undefined attribute', 'traits.shoe_size eq 42'],
      ['an unknown top-level field', 'email eq a@example.com'],
      ['co on a number', 'traits.visits co 1'],
      ['a number filter with a word', 'traits.visits eq many'],
      ['a boolean filter with a word', 'traits.opted_in eq maybe'],
      ['a complex attribute', 'traits.address eq x'],
      ['an application without attribute', 'application_data.shop eq x'],
    ])('GET /profiles refuses a filter with %s', async (_label, filter) => {
      await expectRejected(() => api.listProfiles({ filter }), 400, 'invalid_filter');
    });

    it('refuses a bad filter even when another filter is fine', async () => {
      await expectRejected(() => api.listProfiles({ filter: ['traits.nickname eq ada', 'traits.nickname'] }), 400, 'invalid_filter');
    });

    it.each([['0'], ['101'], ['-5'], ['ten'], ['2.5']])('GET /profiles refuses page_size=%s', async (pageSize) => {
      await expectRejected(() => api.listProfiles({ page_size: pageSize }), 400, 'invalid_page_size');
    });

    it.each([['not-a-cursor'], [Buffer.from('hello').toString('base64url')], ['%%%']])('GET /profiles refuses cursor=%s', async (cursor) => {
      await expectRejected(() => api.listProfiles({ cursor }), 400, 'invalid_cursor');
    });

    it.each([['soon'], ['-1'], ['1.5'], ['12345678901234567']])('GET /profiles/{id} refuses wait_for_position=%s', async (position) => {
      await expectRejected(() => api.request('GET', `/profiles/${profileId}?wait_for_position=${position}`), 400, 'invalid_position');
    });

    it.each([
      ['with a space inside', 'retry 1'],
      ['longer than 200 characters', 'k'.repeat(201)],
      ['with a comma-joined second value', 'a, b'],
    ])('refuses an Idempotency-Key %s', async (_label, key) => {
      await expectRejected(() => patch({ traits: { visits: 1 } }, { 'idempotency-key': key }), 400, 'invalid_idempotency_key');
      await expectRejected(() => api.createProfile({}, { 'idempotency-key': key }), 400, 'invalid_idempotency_key');
    });

    it('answers an unknown route with a 404 error body', async () => {
      await expectRejected(() => api.request('GET', '/segments'), 404);
      await expectRejected(() => api.request('PUT', `/profiles/${profileId}`, { body: {} }), 404);
    });

    it('answers a path that is not valid percent-encoding with the error shape', async () => {
      await expectRejected(() => api.request('GET', '/profiles/%E0%A4%A'), 400);
    });

    it('answers a path parameter over 100 characters with the error shape', async () => {
      const res = await expectNothingAppended(api, () => api.request('GET', `/profile-schema/traits/${'a'.repeat(120)}`));
      expect(res.status).toBeLessThan(500);
      expectError(res, res.status);
    });

    it('treats a cds_profile cookie that is not valid percent-encoding as caller error or no cookie, not a 500', async () => {
      const res = await api.createProfile({}, { cookie: 'cds_profile=%E0%A4%A' });
      expect(res.status).toBeLessThan(500);
    });
  });

  describe('sign-in bodies', () => {
    it.each<[string, unknown]>([
      ['no user_id', { event: 'AUTHENTICATION_SUCCESS', anonymous_profile_tracker: 'TRACKER' }],
      ['no tracker', { event: 'AUTHENTICATION_SUCCESS', user_id: 'u-1' }],
      ['another event', { event: 'LOGOUT', user_id: 'u-1', anonymous_profile_tracker: 'TRACKER' }],
      ['a numeric user_id', { user_id: 42, anonymous_profile_tracker: 'TRACKER' }],
      ['an empty user_id', { user_id: '', anonymous_profile_tracker: 'TRACKER' }],
      ['a user_id of 257 characters', { user_id: 'u'.repeat(257), anonymous_profile_tracker: 'TRACKER' }],
      ['an unknown field', { user_id: 'u-1', anonymous_profile_tracker: 'TRACKER', merge: false }],
    ])('refuses a sign-in with %s', async (_label, body) => {
      const withTracker = JSON.parse(JSON.stringify(body).replace('TRACKER', tracker));
      await expectRejected(() => api.sync(withTracker), 400);
      const profile = await api.getProfile(profileId, (await api.logHead())!);
      expect(profile.body.user_id).toBeNull();
    });
  });

  describe('attribute definitions', () => {
    const attribute = (fields: Record<string, unknown>) => ({
      attribute_name: 'fresh',
      value_type: 'string',
      merge_strategy: 'overwrite',
      ...fields,
    });
    const define = (scope: string, body: unknown) => api.defineAttributes(scope, body);
    const reasons = (res: ApiResponse) => JSON.stringify(res.body);

    it('refuses combine without multi_valued, mentioning combine', async () => {
      const res = await expectRejected(() => define('traits', attribute({ merge_strategy: 'combine' })), 400, 'invalid_attribute');
      expect(reasons(res)).toContain('combine');
      await expectRejected(() => define('traits', attribute({ merge_strategy: 'combine', multi_valued: false })), 400);
    });

    it('refuses sum on a string (and on a multi-valued number), mentioning sum', async () => {
      expect(reasons(await expectRejected(() => define('traits', attribute({ merge_strategy: 'sum' })), 400))).toContain('sum');
      await expectRejected(() => define('traits', attribute({ value_type: 'integer', multi_valued: true, merge_strategy: 'sum' })), 400);
    });

    it('refuses an application_data attribute without application_identifier, and one elsewhere with it', async () => {
      const res = await expectRejected(() => define('application_data', attribute({})), 400);
      expect(res.body.details).toEqual([{ field: 'application_identifier', reason: expect.any(String) }]);
      await expectRejected(() => define('traits', attribute({ application_identifier: 'shop' })), 400);
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unknown value type', { value_type: 'text' }],
      ['an unknown merge strategy', { merge_strategy: 'latest' }],
      ['a $-prefixed name', { attribute_name: '$where' }],
      ['a dotted name', { attribute_name: 'address.city' }],
      ['a name of another scope', { attribute_name: 'identity_attributes.fresh' }],
      ['max_values on a single-valued attribute', { max_values: 5 }],
      ['an unknown field', { unique: true }],
    ])('refuses %s', async (_label, fields) => {
      await expectRejected(() => define('traits', attribute(fields)), 400, 'invalid_attribute');
    });

    it.each<[string, unknown]>([
      ['an empty array', []],
      ['a string', 'fresh'],
      ['null', null],
    ])('refuses a body that is %s', async (_label, body) => {
      await expectRejected(() => define('traits', body), 400);
    });

    it('refuses a scope that does not exist', async () => {
      await expectRejected(() => define('preferences', attribute({})), 400);
    });

    it('refuses a name already defined with 409, alone or twice in one array', async () => {
      await expectRejected(() => define('traits', attribute({ attribute_name: 'nickname' })), 409, 'attribute_exists');
      await expectRejected(() => define('traits', [attribute({ attribute_name: 'twin' }), attribute({ attribute_name: 'twin' })]), 409);
    });

    it('defines nothing of an array in which one item is bad', async () => {
      const res = await expectRejected(
        () =>
          define('traits', [
            attribute({ attribute_name: 'good_one' }),
            attribute({ attribute_name: 'bad', merge_strategy: 'combine' }),
            attribute({ attribute_name: 'good_two' }),
          ]),
        400,
      );
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['[1].merge_strategy']);
      const names = (await api.readSchema('traits')).body.map((d: { name: string }) => d.name);
      expect(names).not.toContain('good_one');
      expect(names).not.toContain('good_two');
      await expectRejected(() => patch({ traits: { good_one: 'x' } }), 400);
    });
  });
});
