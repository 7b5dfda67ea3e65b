import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/** SPEC §4 and §6: defining, reading, changing and removing profile attributes. */
describe('profile schema', () => {
  let running: RunningApp;
  let api: ApiClient;
  let counter = 0;

  const UNKNOWN_ID = '3f1e2d3c-4b5a-4968-8776-655443322110';
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  /** A fresh attribute name per call, so tests do not meet each other's definitions. */
  const fresh = (stem: string) => `${stem}_${++counter}`;
  const defineOne = async (scope: string, fields: Record<string, unknown>) => {
    const res = await api.defineAttributes(scope, fields);
    expectStatus(res, 201);
    return res.body as { attribute_id: string; name: string; attribute_name: string };
  };
  const newProfile = async () => {
    const res = await api.createProfile({});
    expectStatus(res, 201);
    return res.body.profile_id as string;
  };
  const writeTraits = async (id: string, traits: Record<string, unknown>) => {
    const res = await api.patchProfile(id, { traits });
    expectStatus(res, 200);
    return (await api.getProfile(id, res.position)).body.traits;
  };
  const single = (name: string, fields: Record<string, unknown> = {}) => ({
    attribute_name: name,
    value_type: 'string',
    merge_strategy: 'overwrite',
    ...fields,
  });
  const multi = (name: string, fields: Record<string, unknown> = {}) => single(name, { multi_valued: true, merge_strategy: 'combine', ...fields });
  const names = (definitions: Array<{ attribute_name: string }>) => definitions.map((d) => d.attribute_name);

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'schema');
  });
  afterAll(() => running.stop());

  describe('POST /profile-schema/{scope}', () => {
    it('defines one attribute: 201 with the definition and its attribute_id', async () => {
      const res = await api.defineAttributes('traits', { attribute_name: 'loyalty_tier', value_type: 'string', merge_strategy: 'overwrite' });
      expectStatus(res, 201);
      expect(res.position).toEqual(expect.any(Number));
      expect(res.body).toEqual({
        attribute_id: expect.stringMatching(UUID),
        attribute_name: 'traits.loyalty_tier',
        scope: 'traits',
        name: 'loyalty_tier',
        value_type: 'string',
        multi_valued: false,
        merge_strategy: 'overwrite',
      });
    });

    it('defines an array of attributes: 201 with an array, in order, each with its own id', async () => {
      const res = await api.defineAttributes('identity_attributes', [
        { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'identity_attributes.phones', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 5 },
        { attribute_name: 'signup_at', value_type: 'date_time', merge_strategy: 'oldest', description: 'first sign-up' },
      ]);
      expectStatus(res, 201);
      expect(res.body).toEqual([
        expect.objectContaining({ attribute_name: 'identity_attributes.email', multi_valued: false }),
        expect.objectContaining({ attribute_name: 'identity_attributes.phones', multi_valued: true, max_values: 5 }),
        expect.objectContaining({ attribute_name: 'identity_attributes.signup_at', merge_strategy: 'oldest', description: 'first sign-up' }),
      ]);
      const ids = res.body.map((d: { attribute_id: string }) => d.attribute_id);
      expect(new Set(ids).size).toBe(3);
      ids.forEach((id: string) => expect(id).toMatch(UUID));
    });

    it('gives a multi-valued attribute the default cap of 1000', async () => {
      const def = await defineOne('traits', multi(fresh('hobbies')));
      expect(def).toMatchObject({ multi_valued: true, max_values: 1000 });
    });

    it('defines application_data attributes per application, the same name for two applications', async () => {
      const web = await defineOne('application_data', multi('wishlist', { application_identifier: 'web' }));
      const app = await defineOne('application_data', multi('wishlist', { application_identifier: 'ios-app' }));
      expect(web).toMatchObject({ attribute_name: 'application_data.wishlist', application_identifier: 'web' });
      expect(app).toMatchObject({ attribute_name: 'application_data.wishlist', application_identifier: 'ios-app' });
      expect(web.attribute_id).not.toBe(app.attribute_id);

      const id = await newProfile();
      const res = await api.patchProfile(id, { application_data: { web: { wishlist: ['a'] }, 'ios-app': { wishlist: ['b'] } } });
      expectStatus(res, 200);
      expect((await api.getProfile(id, res.position)).body.application_data).toEqual({ web: { wishlist: ['a'] }, 'ios-app': { wishlist: ['b'] } });
    });

    it('makes a defined attribute writable right away', async () => {
      const name = fresh('favourite_colour');
      const id = await newProfile();
      expectError(await api.patchProfile(id, { traits: { [name]: 'blue' } }), 400);
      await defineOne('traits', single(name));
      expect(await writeTraits(id, { [name]: 'blue' })).toEqual({ [name]: 'blue' });
    });

    it('defines nothing more when a definition is retried with the same Idempotency-Key', async () => {
      const body = single(fresh('retried'));
      const headers = { 'idempotency-key': `define-${counter}` };
      const first = await api.request('POST', '/profile-schema/traits', { body, headers });
      expectStatus(first, 201);
      const retry = await expectNothingAppended(api, () => api.request('POST', '/profile-schema/traits', { body, headers }));
      expect(retry.status).toBeLessThan(500);
      const matching = (await api.readSchema('traits')).body.filter((d: { name: string }) => d.name === body.attribute_name);
      expect(matching).toEqual([first.body]);
    });

    it('lets exactly one of two concurrent definitions of one name win', async () => {
      const body = { attribute_name: fresh('contested'), value_type: 'integer', merge_strategy: 'sum' };
      const answers = await Promise.all([api.defineAttributes('traits', body), api.defineAttributes('traits', body)]);
      expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
    });
  });

  describe('GET', () => {
    let defs: { identity: { attribute_id: string }; trait: { attribute_id: string }; app: { attribute_id: string } };
    let reader: ApiClient;

    beforeAll(async () => {
      // Its own organization, so the schema holds exactly these three.
      reader = api.forOrganization('schema-read');
      const define = async (scope: string, body: unknown) => {
        const res = await reader.defineAttributes(scope, body);
        expectStatus(res, 201);
        return res.body;
      };
      defs = {
        identity: await define('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }),
        trait: await define('traits', { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }),
        app: await define('application_data', multi('cart', { application_identifier: 'shop' })),
      };
    });

    it('GET /profile-schema answers every definition, grouped by scope', async () => {
      const res = await reader.readSchema();
      expectStatus(res, 200);
      expect(res.body).toEqual({ identity_attributes: [defs.identity], traits: [defs.trait], application_data: [defs.app] });
    });

    it('GET /profile-schema/{scope} answers that scope only', async () => {
      expect((await reader.readSchema('traits')).body).toEqual([defs.trait]);
      expect((await reader.readSchema('application_data')).body).toEqual([defs.app]);
    });

    it('GET /profile-schema/{scope}/{id} answers one definition', async () => {
      const res = await reader.readSchema(`traits/${defs.trait.attribute_id}`);
      expectStatus(res, 200);
      expect(res.body).toEqual(defs.trait);
    });

    it('answers 404 for an unknown attribute id, or one of another scope', async () => {
      expectError(await reader.readSchema(`traits/${UNKNOWN_ID}`), 404, 'attribute_not_found');
      expectError(await reader.readSchema('traits/not-even-a-uuid'), 404);
      expectError(await reader.readSchema(`identity_attributes/${defs.trait.attribute_id}`), 404);
    });

    it('answers an empty schema for an organization that defined nothing', async () => {
      const res = await api.forOrganization('schema-empty').readSchema();
      expectStatus(res, 200);
      expect(res.body).toEqual({ identity_attributes: [], traits: [], application_data: [] });
    });
  });

  describe('PUT /profile-schema/{scope}/{id}', () => {
    it('changes the merge strategy, and later writes use the new one', async () => {
      const source = await defineOne('traits', single(fresh('source')));
      const id = await newProfile();
      expect(await writeTraits(id, { [source.name]: 'ads' })).toEqual({ [source.name]: 'ads' });

      const res = await api.updateAttribute('traits', source.attribute_id, { value_type: 'string', merge_strategy: 'oldest' });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ attribute_id: source.attribute_id, attribute_name: source.attribute_name, merge_strategy: 'oldest' });
      expect((await api.readSchema(`traits/${source.attribute_id}`)).body.merge_strategy).toBe('oldest');
      expect(await writeTraits(id, { [source.name]: 'email' })).toEqual({ [source.name]: 'ads' });
    });

    it('turns a counter from sum into overwrite without touching the value it has', async () => {
      const tally = await defineOne('traits', { attribute_name: fresh('tally'), value_type: 'integer', merge_strategy: 'sum' });
      const id = await newProfile();
      await writeTraits(id, { [tally.name]: 2 });
      expect(await writeTraits(id, { [tally.name]: 3 })).toEqual({ [tally.name]: 5 });
      expectStatus(await api.updateAttribute('traits', tally.attribute_id, { value_type: 'integer', merge_strategy: 'overwrite' }), 200);
      expect((await api.getProfile(id)).body.traits).toEqual({ [tally.name]: 5 });
      expect(await writeTraits(id, { [tally.name]: 7 })).toEqual({ [tally.name]: 7 });
    });

    it('changes max_values, and later writes are capped by it', async () => {
      const recent = await defineOne('traits', multi(fresh('recent')));
      const id = await newProfile();
      await writeTraits(id, { [recent.name]: ['a', 'b', 'c'] });
      expectStatus(await api.updateAttribute('traits', recent.attribute_id, { multi_valued: true, merge_strategy: 'combine', max_values: 2 }), 200);
      expect(await writeTraits(id, { [recent.name]: ['d'] })).toEqual({ [recent.name]: ['c', 'd'] });
    });

    it.each<[string, Record<string, unknown>]>([
      ['value_type', { value_type: 'integer', merge_strategy: 'overwrite' }],
      ['attribute_name', { attribute_name: 'renamed', value_type: 'string', merge_strategy: 'overwrite' }],
    ])('refuses to change %s with 409, leaving the definition as it was', async (_field, body) => {
      const def = await defineOne('traits', single(fresh('fixed')));
      const res = await expectNothingAppended(api, () => api.updateAttribute('traits', def.attribute_id, body));
      expectError(res, 409, 'attribute_field_fixed');
      expect((await api.readSchema(`traits/${def.attribute_id}`)).body).toEqual(def);
    });

    it('refuses to make a multi-valued attribute single-valued (409)', async () => {
      const def = await defineOne('traits', { attribute_name: fresh('many'), value_type: 'string', multi_valued: true, merge_strategy: 'combine' });
      const res = await expectNothingAppended(api, () =>
        api.updateAttribute('traits', def.attribute_id, { multi_valued: false, merge_strategy: 'overwrite' }),
      );
      expectError(res, 409);
    });

    it('refuses a definition that is not valid (400), leaving it as it was', async () => {
      const def = await defineOne('traits', single(fresh('plain')));
      await expectNothingAppended(api, async () => {
        expectError(await api.updateAttribute('traits', def.attribute_id, { merge_strategy: 'combine' }), 400);
        expectError(await api.updateAttribute('traits', def.attribute_id, { merge_strategy: 'sum' }), 400);
        expectError(await api.updateAttribute('traits', def.attribute_id, { merge_strategy: 'newest' }), 400);
      });
      expect((await api.readSchema(`traits/${def.attribute_id}`)).body).toEqual(def);
    });

    it('answers 404 for an unknown attribute id, or one of another scope', async () => {
      const def = await defineOne('traits', single(fresh('scoped')));
      await expectNothingAppended(api, async () => {
        expectError(await api.updateAttribute('traits', UNKNOWN_ID, { merge_strategy: 'oldest' }), 404, 'attribute_not_found');
        expectError(await api.updateAttribute('identity_attributes', def.attribute_id, { merge_strategy: 'oldest' }), 404);
      });
    });
  });

  describe('DELETE /profile-schema/{scope}/{id}', () => {
    it('removes the attribute: 204, then it is gone from reads and writes to it are 400', async () => {
      const def = await defineOne('traits', single(fresh('temporary')));
      const id = await newProfile();
      const res = await api.deleteAttribute('traits', def.attribute_id);
      expectStatus(res, 204);
      expectError(await api.readSchema(`traits/${def.attribute_id}`), 404);
      expect(names((await api.readSchema('traits')).body)).not.toContain(def.attribute_name);
      await expectNothingAppended(api, async () => {
        expectError(await api.patchProfile(id, { traits: { [def.name]: 'x' } }), 400, 'invalid_attributes');
        expectError(await api.createProfile({ traits: { [def.name]: 'x' } }), 400);
        expectError(await api.deleteAttribute('traits', def.attribute_id), 404);
        expectError(await api.updateAttribute('traits', def.attribute_id, { merge_strategy: 'oldest' }), 404);
      });
    });

    it('lets the name be defined again afterwards, with a new id', async () => {
      const name = fresh('reborn');
      const first = await defineOne('traits', single(name));
      expectStatus(await api.deleteAttribute('traits', first.attribute_id), 204);
      const second = await defineOne('traits', { attribute_name: name, value_type: 'integer', merge_strategy: 'sum' });
      expect(second.attribute_id).not.toBe(first.attribute_id);
      const id = await newProfile();
      expect(await writeTraits(id, { [name]: 4 })).toEqual({ [name]: 4 });
    });

    it('answers 404 for an unknown attribute id, or one of another scope, appending nothing', async () => {
      const def = await defineOne('traits', single(fresh('kept')));
      await expectNothingAppended(api, async () => {
        expectError(await api.deleteAttribute('traits', UNKNOWN_ID), 404, 'attribute_not_found');
        expectError(await api.deleteAttribute('identity_attributes', def.attribute_id), 404);
      });
      expectStatus(await api.readSchema(`traits/${def.attribute_id}`), 200);
    });
  });
});
