import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/** SPEC §3 and §6: creating, reading, writing, erasing and listing profiles over HTTP. */
describe('profiles', () => {
  let running: RunningApp;
  let api: ApiClient;
  const APP = 'shop_web';

  interface Created {
    profile_id: string;
    anonymous_profile_tracker: string;
  }
  const create = async (body: unknown = {}, headers: Record<string, string> = {}): Promise<Created> => {
    const res = await api.createProfile(body, headers);
    expectStatus(res, 201);
    return res.body;
  };
  /** PATCH then read back what the read model holds after that write. */
  const write = async (id: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await api.patchProfile(id, body, headers);
    expectStatus(res, 200);
    const read = await api.getProfile(id, res.position);
    expectStatus(read, 200);
    return read.body;
  };
  const writeTraits = async (id: string, ...values: Array<Record<string, unknown>>) => {
    let profile: any;
    for (const traits of values) profile = await write(id, { traits });
    return profile.traits;
  };

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'crud');
    const defined = [
      await api.defineAttributes('traits', [
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'spend', value_type: 'decimal', merge_strategy: 'sum' },
        { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
        { attribute_name: 'last_page', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'first_source', value_type: 'string', merge_strategy: 'oldest' },
        { attribute_name: 'recent', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 3 },
        { attribute_name: 'address', value_type: 'complex', merge_strategy: 'overwrite' },
        { attribute_name: 'seen', value_type: 'complex', multi_valued: true, merge_strategy: 'combine' },
      ]),
      await api.defineAttributes('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }),
      await api.defineAttributes('application_data', {
        attribute_name: 'cart',
        value_type: 'string',
        multi_valued: true,
        merge_strategy: 'combine',
        application_identifier: APP,
      }),
    ];
    defined.forEach((res) => expectStatus(res, 201));
  });
  afterAll(() => running.stop());

  describe('POST /profiles and GET /profiles/{id}', () => {
    it('creates a profile with initial attributes, sets the cookie and reads it back', async () => {
      const res = await api.createProfile({
        traits: { visits: 2, interests: ['running'] },
        identity_attributes: { email: 'ada@example.com' },
        application_data: { [APP]: { cart: ['sku-1'] } },
      });
      expectStatus(res, 201);
      const { profile_id: id, anonymous_profile_tracker: tracker } = res.body;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(tracker).toEqual(expect.any(String));
      expect(res.headers.get('set-cookie')).toContain(`cds_profile=${tracker}`);
      expect(res.position).toEqual(expect.any(Number));
      expect(res.body.meta).toEqual({ created_at: expect.any(String), updated_at: expect.any(String), location: `crud/cds/api/v1/profiles/${id}` });

      const read = await api.getProfile(id, res.position);
      expectStatus(read, 200);
      expect(read.body).toEqual({
        profile_id: id,
        user_id: null,
        anonymous_profile_tracker: tracker,
        verified: false,
        meta: res.body.meta,
        identity_attributes: { email: 'ada@example.com' },
        traits: { visits: 2, interests: ['running'] },
        application_data: { [APP]: { cart: ['sku-1'] } },
        merged_from: [],
      });
    });

    it('gives every profile its own id and tracker', async () => {
      const profiles = await Promise.all(Array.from({ length: 10 }, () => create()));
      expect(new Set(profiles.map((p) => p.profile_id)).size).toBe(10);
      expect(new Set(profiles.map((p) => p.anonymous_profile_tracker)).size).toBe(10);
    });

    it('reflects each write on a GET that waits for its log position', async () => {
      const { profile_id: id } = await create();
      let previous = 0;
      for (let i = 1; i <= 15; i++) {
        const res = await api.patchProfile(id, { traits: { last_page: `/page/${i}`, visits: 1 } });
        expectStatus(res, 200);
        expect(res.position).toBeGreaterThan(previous);
        previous = res.position!;
        const read = await api.getProfile(id, res.position);
        expect(read.body.traits).toEqual({ last_page: `/page/${i}`, visits: i });
      }
    });

    it('answers 404 for a profile that never existed', async () => {
      expectError(await api.getProfile('0b6f5b3e-2c1a-4d7e-9f80-1a2b3c4d5e6f'), 404, 'profile_not_found');
      expectError(await api.patchProfile('0b6f5b3e-2c1a-4d7e-9f80-1a2b3c4d5e6f', { traits: { visits: 1 } }), 404, 'profile_not_found');
    });
  });

  describe('PATCH applies each merge strategy', () => {
    it('sum accumulates, integers and decimals alike', async () => {
      const { profile_id: id } = await create();
      expect(await writeTraits(id, { visits: 1 }, { visits: 2 }, { visits: -1 }, { visits: 10 })).toMatchObject({ visits: 12 });
      expect(await writeTraits(id, { spend: 9.5 }, { spend: 0.25 })).toMatchObject({ spend: 9.75 });
    });

    it('combine keeps an ordered union without duplicates', async () => {
      const { profile_id: id } = await create();
      const interests = await writeTraits(id, { interests: ['a', 'b'] }, { interests: ['b', 'c', 'a'] }, { interests: [] });
      expect(interests).toEqual({ interests: ['a', 'b', 'c'] });
      const complex = await writeTraits(id, { seen: [{ sku: 1, at: 'x' }] }, { seen: [{ at: 'x', sku: 1 }, { sku: 2 }] });
      expect(complex.seen).toEqual([{ sku: 1, at: 'x' }, { sku: 2 }]);
    });

    it('overwrite replaces, except with an empty string', async () => {
      const { profile_id: id } = await create();
      expect(await writeTraits(id, { last_page: '/a' }, { last_page: '/b' })).toEqual({ last_page: '/b' });
      expect(await writeTraits(id, { last_page: '' })).toEqual({ last_page: '/b' });
      expect(await writeTraits(id, { address: { city: 'Oslo', zip: '0150' } }, { address: { city: 'Bergen' } })).toMatchObject({
        address: { city: 'Bergen' },
      });
    });

    it('oldest keeps the first value ever written', async () => {
      const { profile_id: id } = await create();
      expect(await writeTraits(id, { first_source: '' }, { first_source: 'ads' }, { first_source: 'email' })).toEqual({ first_source: 'ads' });
    });

    it('null clears an attribute, whatever its strategy', async () => {
      const { profile_id: id } = await create({
        traits: { visits: 3, interests: ['a'], last_page: '/x', first_source: 'ads' },
        application_data: { [APP]: { cart: ['sku-1'] } },
      });
      const cleared = await write(id, {
        traits: { visits: null, interests: null, last_page: null, first_source: null },
        application_data: { [APP]: { cart: null } },
      });
      expect(cleared.traits).toEqual({});
      expect(cleared.application_data).toEqual({});
      // A cleared oldest attribute takes the next value again.
      expect(await writeTraits(id, { first_source: 'email' })).toEqual({ first_source: 'email' });
    });

    it('max_values caps a multi-valued attribute by dropping the oldest values', async () => {
      const { profile_id: id } = await create();
      expect(await writeTraits(id, { recent: ['a', 'b'] }, { recent: ['c', 'd'] })).toEqual({ recent: ['b', 'c', 'd'] });
      expect(await writeTraits(id, { recent: ['e'] })).toEqual({ recent: ['c', 'd', 'e'] });
      expect(await writeTraits(id, { recent: ['v', 'w', 'x', 'y', 'z'] })).toEqual({ recent: ['x', 'y', 'z'] });
    });

    it('writes several scopes and applications in one PATCH', async () => {
      const { profile_id: id } = await create();
      const profile = await write(id, {
        identity_attributes: { email: 'grace@example.com' },
        traits: { visits: 1, interests: ['chess'] },
        application_data: { [APP]: { cart: ['sku-9'] } },
      });
      expect(profile).toMatchObject({
        identity_attributes: { email: 'grace@example.com' },
        traits: { visits: 1, interests: ['chess'] },
        application_data: { [APP]: { cart: ['sku-9'] } },
      });
    });

    it('appends nothing for an empty PATCH', async () => {
      const { profile_id: id } = await create();
      const res = await expectNothingAppended(api, () => api.patchProfile(id, {}));
      expectStatus(res, 200);
    });

    // Names of JavaScript's object machinery would be dropped on the way in and the write lost:
    // they are refused with a reason instead.
    it('refuses to define an attribute named like a built-in member (toString)', async () => {
      const defined = await expectNothingAppended(api, () =>
        api.defineAttributes('traits', { attribute_name: 'toString', value_type: 'string', merge_strategy: 'overwrite' }),
      );
      expectError(defined, 400, 'invalid_attribute');
      expect(JSON.stringify(defined.body.details)).toContain('reserved');
    });

    it('refuses a complex value whose keys are built-in member names, and appends nothing', async () => {
      const { profile_id: id } = await create();
      const address = { street: 'Main St 1', constructor: 'ACME builders' };
      const res = await expectNothingAppended(api, () => api.patchProfile(id, { traits: { address } }));
      expectError(res, 400, 'invalid_attributes');
      expect(JSON.stringify(res.body.details)).toContain('reserved');
    });
  });

  describe('Idempotency-Key', () => {
    it('applies a retried sum PATCH once, and answers the retry with the same position', async () => {
      const { profile_id: id } = await create({ traits: { visits: 1 } });
      const key = { 'idempotency-key': `visit-${id}` };
      const first = await api.patchProfile(id, { traits: { visits: 5 } }, key);
      expectStatus(first, 200);
      const retry = await expectNothingAppended(api, () => api.patchProfile(id, { traits: { visits: 5 } }, key));
      expectStatus(retry, 200);
      expect(retry.position).toBe(first.position);
      expect((await api.getProfile(id, first.position)).body.traits.visits).toBe(6);

      // Another key is another write.
      const other = await api.patchProfile(id, { traits: { visits: 5 } }, { 'idempotency-key': `visit-2-${id}` });
      expect((await api.getProfile(id, other.position)).body.traits.visits).toBe(11);
    });

    it('applies a PATCH once when its retries arrive at the same moment', async () => {
      const { profile_id: id } = await create();
      const key = { 'idempotency-key': `burst-${id}` };
      const answers = await Promise.all(Array.from({ length: 8 }, () => api.patchProfile(id, { traits: { visits: 1 } }, key)));
      answers.forEach((res) => expectStatus(res, 200));
      expect(new Set(answers.map((res) => res.position)).size).toBe(1);
      expect((await api.getProfile(id, answers[0].position)).body.traits.visits).toBe(1);
    });

    it('answers a retried POST /profiles with the same profile and appends nothing', async () => {
      const key = { 'idempotency-key': `create-${Date.now()}` };
      const first = await api.createProfile({ traits: { visits: 1 } }, key);
      expectStatus(first, 201);
      const retry = await expectNothingAppended(api, () => api.createProfile({ traits: { visits: 1 } }, key));
      expect(retry.status).toBeLessThan(300);
      expect(retry.body.profile_id).toBe(first.body.profile_id);
      expect(retry.body.anonymous_profile_tracker).toBe(first.body.anonymous_profile_tracker);
      expect((await api.getProfile(first.body.profile_id, first.position)).body.traits.visits).toBe(1);
    });

    it('creates one profile when retries of a POST /profiles arrive at the same moment', async () => {
      const key = { 'idempotency-key': `create-burst-${Date.now()}` };
      const answers = await Promise.all(Array.from({ length: 6 }, () => api.createProfile({ traits: { visits: 1 } }, key)));
      answers.forEach((res) => expect(res.status).toBeLessThan(300));
      expect(new Set(answers.map((res) => res.body.profile_id)).size).toBe(1);
      const profile = await api.getProfile(answers[0].body.profile_id, (await api.logHead())!);
      expect(profile.body.traits.visits).toBe(1);
    });

    it('answers a retry through a merged-away id with the survivor, without a second effect', async () => {
      const laptop = await create({ traits: { visits: 1 } });
      const phone = await create();
      const key = { 'idempotency-key': `before-merge-${phone.profile_id}` };
      expectStatus(await api.patchProfile(phone.profile_id, { traits: { visits: 5 } }, key), 200);
      await api.signIn(`retrying-${phone.profile_id}`, laptop.anonymous_profile_tracker);
      const merged = await api.signIn(`retrying-${phone.profile_id}`, phone.anonymous_profile_tracker);
      expect(merged.body.profile_id).toBe(laptop.profile_id);

      const retry = await expectNothingAppended(api, () => api.patchProfile(phone.profile_id, { traits: { visits: 5 } }, key));
      expectStatus(retry, 200);
      expect((await api.getProfile(laptop.profile_id, merged.position)).body.traits.visits).toBe(6);
      expect(retry.body).toMatchObject({ profile_id: laptop.profile_id, traits: { visits: 6 } });
    });
  });

  describe('the cds_profile cookie', () => {
    it('answers POST /profiles with a live cookie with 200 and that profile, appending nothing', async () => {
      const existing = await create({ traits: { visits: 4 } });
      const res = await expectNothingAppended(api, () => api.createProfile({}, { cookie: `cds_profile=${existing.anonymous_profile_tracker}` }));
      expectStatus(res, 200);
      expect(res.body.profile_id).toBe(existing.profile_id);
      expect(res.body.traits).toEqual({ visits: 4 });
      expect(res.headers.get('set-cookie')).toContain(`cds_profile=${existing.anonymous_profile_tracker}`);
    });

    it('finds the cookie among other cookies', async () => {
      const existing = await create();
      const res = await api.createProfile({}, { cookie: `theme=dark; cds_profile=${existing.anonymous_profile_tracker}; lang=en` });
      expectStatus(res, 200);
      expect(res.body.profile_id).toBe(existing.profile_id);
    });

    it('creates a new profile (201) for a cookie of an unknown tracker', async () => {
      const res = await api.createProfile({}, { cookie: 'cds_profile=never-issued-tracker' });
      expectStatus(res, 201);
      expect(res.body.anonymous_profile_tracker).not.toBe('never-issued-tracker');
      expect(res.headers.get('set-cookie')).toContain(`cds_profile=${res.body.anonymous_profile_tracker}`);
    });
  });

  describe('DELETE /profiles/{id}', () => {
    it('erases the profile: 204, then GET, PATCH and DELETE are 404 and its tracker is unknown', async () => {
      const profile = await create({ traits: { visits: 1 } });
      const res = await api.deleteProfile(profile.profile_id);
      expectStatus(res, 204);
      expectError(await api.getProfile(profile.profile_id, res.position), 404, 'profile_not_found');
      await expectNothingAppended(api, async () => {
        expectError(await api.patchProfile(profile.profile_id, { traits: { visits: 1 } }), 404, 'profile_not_found');
        expectError(await api.deleteProfile(profile.profile_id), 404);
        expectError(await api.signIn('someone', profile.anonymous_profile_tracker), 404);
      });
      const again = await api.createProfile({}, { cookie: `cds_profile=${profile.anonymous_profile_tracker}` });
      expectStatus(again, 201);
      expect(again.body.profile_id).not.toBe(profile.profile_id);
    });

    it('erases what merged into the profile too', async () => {
      const first = await create({ traits: { visits: 1 } });
      const second = await create({ traits: { visits: 2 } });
      await api.signIn('erased-user', first.anonymous_profile_tracker);
      const merged = await api.signIn('erased-user', second.anonymous_profile_tracker);
      expect(merged.body.profile_id).toBe(first.profile_id);

      const res = await api.deleteProfile(first.profile_id);
      expectStatus(res, 204);
      expectError(await api.getProfile(first.profile_id, res.position), 404);
      expectError(await api.getProfile(second.profile_id, res.position), 404);
    });
  });

  describe('GET /profiles', () => {
    let lister: ApiClient;
    const people: Array<Created & { n: number }> = [];
    const ids = (res: { body: { profiles: Array<{ profile_id: string }> } }) => res.body.profiles.map((p) => p.profile_id).sort();
    const idsOf = (ns: number[]) => people.filter((p) => ns.includes(p.n)).map((p) => p.profile_id).sort();
    const listIds = async (filter: string | string[]) => {
      const res = await lister.listProfiles({ filter, page_size: 100 });
      expectStatus(res, 200);
      return ids(res);
    };

    beforeAll(async () => {
      // Its own organization, so the list holds exactly these 45 people.
      lister = api.forOrganization('crud-list');
      expectStatus(
        await lister.defineAttributes('traits', [
          { attribute_name: 'name', value_type: 'string', merge_strategy: 'overwrite' },
          { attribute_name: 'city', value_type: 'string', merge_strategy: 'overwrite' },
          { attribute_name: 'tags', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
          { attribute_name: 'age', value_type: 'integer', merge_strategy: 'overwrite' },
        ]),
        201,
      );
      for (let n = 0; n < 45; n++) {
        const res = await lister.createProfile({
          traits: {
            name: n === 7 ? 'Ada Lovelace' : `person-${n}`,
            city: ['Oslo', 'Bergen', 'Tromsø'][n % 3],
            tags: n % 5 === 0 ? ['vip', 'newsletter'] : ['newsletter'],
            age: 20 + (n % 10),
          },
        });
        expectStatus(res, 201);
        people.push({ ...res.body, n });
      }
      expectStatus(await lister.signIn('listed-user', people[3].anonymous_profile_tracker), 200);
      await lister.catchUp();
    });

    it('filters with eq on a string, a list element and a number', async () => {
      expect(await listIds('traits.city eq Bergen')).toEqual(idsOf(people.filter((p) => p.n % 3 === 1).map((p) => p.n)));
      expect(await listIds('traits.tags eq vip')).toEqual(idsOf([0, 5, 10, 15, 20, 25, 30, 35, 40]));
      expect(await listIds('traits.age eq 27')).toEqual(idsOf([7, 17, 27, 37]));
      expect(await listIds('traits.name eq "Ada Lovelace"')).toEqual(idsOf([7]));
      expect(await listIds('traits.city eq bergen')).toEqual([]);
    });

    it('filters with co and sw on strings and list elements', async () => {
      expect(await listIds('traits.name co son-4')).toEqual(idsOf([4, 40, 41, 42, 43, 44]));
      expect(await listIds('traits.name sw Ada')).toEqual(idsOf([7]));
      expect(await listIds('traits.name sw son')).toEqual([]);
      expect(await listIds('traits.tags sw news')).toHaveLength(45);
      expect(await listIds('traits.city co sø')).toEqual(idsOf(people.filter((p) => p.n % 3 === 2).map((p) => p.n)));
    });

    it('ANDs repeated filters', async () => {
      expect(await listIds(['traits.tags eq vip', 'traits.city eq Oslo'])).toEqual(idsOf([0, 15, 30]));
      expect(await listIds(['traits.tags eq vip', 'traits.city eq Oslo', 'traits.age eq 20'])).toEqual(idsOf([0, 30]));
    });

    it('filters by user_id and profile_id', async () => {
      expect(await listIds('user_id eq listed-user')).toEqual(idsOf([3]));
      expect(await listIds('user_id eq nobody')).toEqual([]);
      expect(await listIds(`profile_id eq ${people[9].profile_id}`)).toEqual(idsOf([9]));
    });

    it('walks all 45 profiles page by page with the cursor, without duplicates or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await lister.listProfiles({ page_size: 10, ...(cursor ? { cursor } : {}) });
        expectStatus(res, 200);
        expect(res.body.profiles.length).toBeLessThanOrEqual(10);
        expect(res.body.pagination).toMatchObject({ page_size: 10, count: res.body.profiles.length });
        seen.push(...res.body.profiles.map((p: { profile_id: string }) => p.profile_id));
        cursor = res.body.pagination.next_cursor;
        expect(++pages).toBeLessThanOrEqual(6);
      } while (cursor);
      expect(seen).toHaveLength(45);
      expect([...seen].sort()).toEqual(people.map((p) => p.profile_id).sort());
    });

    it('walks a filtered list with the cursor too', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await lister.listProfiles({ filter: 'traits.tags eq vip', page_size: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...res.body.profiles.map((p: { profile_id: string }) => p.profile_id));
        cursor = res.body.pagination.next_cursor;
      } while (cursor);
      expect(seen.sort()).toEqual(idsOf([0, 5, 10, 15, 20, 25, 30, 35, 40]));
    });

    it('answers 20 profiles per page by default', async () => {
      const res = await lister.listProfiles();
      expect(res.body.profiles).toHaveLength(20);
      expect(res.body.pagination).toMatchObject({ page_size: 20, count: 20, next_cursor: expect.any(String) });
    });

    it('does not list deleted or merged-away profiles', async () => {
      const other = api.forOrganization('crud-gone');
      const kept = (await other.createProfile({})).body;
      const deleted = (await other.createProfile({})).body;
      const mergedAway = (await other.createProfile({})).body;
      expectStatus(await other.deleteProfile(deleted.profile_id), 204);
      await other.signIn('gone-user', kept.anonymous_profile_tracker);
      expect((await other.signIn('gone-user', mergedAway.anonymous_profile_tracker)).body.profile_id).toBe(kept.profile_id);
      await other.catchUp();
      expect(ids(await other.listProfiles())).toEqual([kept.profile_id]);
      expect(ids(await other.listProfiles({ filter: `profile_id eq ${mergedAway.profile_id}` }))).toEqual([]);
    });

    it('waits for wait_for_position before listing', async () => {
      const late = api.forOrganization('crud-late');
      for (let i = 0; i < 10; i++) {
        const res = await late.createProfile({});
        const listed = await late.listProfiles({ filter: `profile_id eq ${res.body.profile_id}`, wait_for_position: res.position });
        expect(ids(listed)).toEqual([res.body.profile_id]);
      }
    });
  });
});
