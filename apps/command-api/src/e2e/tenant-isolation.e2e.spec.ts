import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * SPEC §1 and §6: one service, many organizations. Nothing of one organization (profiles,
 * trackers, schema, users) is visible to or usable by another.
 */
describe('tenant isolation', () => {
  let running: RunningApp;
  let north: ApiClient;
  let south: ApiClient;
  const visits = { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' };

  const ids = (res: { body: { profiles: Array<{ profile_id: string }> } }) => res.body.profiles.map((p) => p.profile_id).sort();
  const createIn = async (api: ApiClient, body: unknown = {}) => {
    const res = await api.createProfile(body);
    expectStatus(res, 201);
    return res.body as { profile_id: string; anonymous_profile_tracker: string };
  };

  beforeAll(async () => {
    running = await startTestApp();
    north = new ApiClient(running.baseUrl, 'north');
    south = north.forOrganization('south');
    const northOnly = { attribute_name: 'north_only', value_type: 'string', merge_strategy: 'overwrite' };
    expectStatus(await north.defineAttributes('traits', [visits, northOnly]), 201);
    expectStatus(await south.defineAttributes('traits', visits), 201);
  });
  afterAll(() => running.stop());

  it("answers 404 for another organization's profile id (GET, PATCH, DELETE) and leaves it untouched", async () => {
    const profile = await createIn(north, { traits: { visits: 3 } });
    await south.catchUp();
    await expectNothingAppended(north, async () => {
      expectError(await south.getProfile(profile.profile_id), 404, 'profile_not_found');
      expectError(await south.patchProfile(profile.profile_id, { traits: { visits: 100 } }), 404, 'profile_not_found');
      expectError(await south.deleteProfile(profile.profile_id), 404, 'profile_not_found');
    });
    const own = await north.getProfile(profile.profile_id, (await north.logHead())!);
    expectStatus(own, 200);
    expect(own.body.traits).toEqual({ visits: 3 });
  });

  it("never lists another organization's profiles", async () => {
    const east = north.forOrganization('list-east');
    const west = north.forOrganization('list-west');
    const eastIds = [await createIn(east), await createIn(east), await createIn(east)].map((p) => p.profile_id).sort();
    const westIds = [await createIn(west), await createIn(west)].map((p) => p.profile_id).sort();
    await east.catchUp();
    expect(ids(await east.listProfiles({ page_size: 100 }))).toEqual(eastIds);
    expect(ids(await west.listProfiles({ page_size: 100 }))).toEqual(westIds);
    // Filtering by another organization's id finds nothing either.
    expect(ids(await west.listProfiles({ filter: `profile_id eq ${eastIds[0]}` }))).toEqual([]);
  });

  it("does not apply one organization's schema in another", async () => {
    const profile = await createIn(south);
    const res = await expectNothingAppended(south, () => south.patchProfile(profile.profile_id, { traits: { north_only: 'x' } }));
    expectError(res, 400, 'invalid_attributes');
    expect(res.body.details).toEqual([{ field: 'traits.north_only', reason: expect.stringContaining('not defined') }]);
    expectError(await south.createProfile({ traits: { north_only: 'x' } }), 400);

    const southSchema = await south.readSchema('traits');
    expect(southSchema.body.map((d: { attribute_name: string }) => d.attribute_name)).toEqual(['traits.visits']);
  });

  it("answers 404 for another organization's attribute id (GET, PUT, DELETE)", async () => {
    const northOnly = (await north.readSchema('traits')).body.find((d: { name: string }) => d.name === 'north_only');
    await expectNothingAppended(north, async () => {
      expectError(await south.readSchema(`traits/${northOnly.attribute_id}`), 404, 'attribute_not_found');
      expectError(await south.updateAttribute('traits', northOnly.attribute_id, { merge_strategy: 'oldest' }), 404);
      expectError(await south.deleteAttribute('traits', northOnly.attribute_id), 404);
    });
    expect((await north.readSchema(`traits/${northOnly.attribute_id}`)).body.merge_strategy).toBe('overwrite');
  });

  it("treats another organization's tracker as unknown (cookie and sign-in)", async () => {
    const profile = await createIn(north);
    const viaCookie = await south.createProfile({}, { cookie: `cds_profile=${profile.anonymous_profile_tracker}` });
    expectStatus(viaCookie, 201);
    expect(viaCookie.body.profile_id).not.toBe(profile.profile_id);

    const signIn = await expectNothingAppended(south, () => south.signIn('tracker-thief', profile.anonymous_profile_tracker));
    expectError(signIn, 404, 'profile_not_found');
  });

  it('never merges profiles of the same user_id across organizations', async () => {
    const inNorth = await createIn(north, { traits: { visits: 1 } });
    const inSouth = await createIn(south, { traits: { visits: 10 } });
    const first = await north.signIn('shared-user', inNorth.anonymous_profile_tracker);
    const second = await south.signIn('shared-user', inSouth.anonymous_profile_tracker);
    expectStatus(first, 200);
    expectStatus(second, 200);
    expect(second.body.profile_id).toBe(inSouth.profile_id);

    // A second device in the north joins the north profile, not the south one.
    const device = await createIn(north, { traits: { visits: 2 } });
    const joined = await north.signIn('shared-user', device.anonymous_profile_tracker);
    expect(joined.body.profile_id).toBe(inNorth.profile_id);

    const northProfile = await north.getProfile(inNorth.profile_id, joined.position);
    const southProfile = await south.getProfile(inSouth.profile_id, joined.position);
    expect(northProfile.body).toMatchObject({ user_id: 'shared-user', traits: { visits: 3 } });
    expect(northProfile.body.merged_from.map((m: { profile_id: string }) => m.profile_id)).toEqual([device.profile_id]);
    expect(southProfile.body).toMatchObject({ user_id: 'shared-user', traits: { visits: 10 }, merged_from: [] });
    expect(ids(await north.listProfiles({ filter: 'user_id eq shared-user' }))).toEqual([inNorth.profile_id]);
    expect(ids(await south.listProfiles({ filter: 'user_id eq shared-user' }))).toEqual([inSouth.profile_id]);
  });
});
