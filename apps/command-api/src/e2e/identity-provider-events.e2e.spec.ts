import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * WSO2 Identity Server's webhook on POST /profiles/sync: a user added (with or without a
 * browser), a session ended, a user deleted — and anything else refused, naming what is accepted.
 */
describe('identity-provider lifecycle events (POST /profiles/sync)', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'idp');
    expectStatus(await api.defineAttributes('traits', [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }]), 201);
  });
  afterAll(() => running.stop());

  const sync = (body: Record<string, unknown>) => api.sync(body);

  it('POST_ADD_USER with the browser\'s cookie stamps the user on that profile, as a sign-in does', async () => {
    const browser = (await api.createProfile({ traits: { visits: 2 } })).body;
    const res = await sync({ event: 'POST_ADD_USER', userId: 'added-with-cookie', profileCookie: browser.anonymous_profile_tracker, orgHandle: 'idp', claims: { email: 'a@example.com' } });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ profile_id: browser.profile_id, user_id: 'added-with-cookie', traits: { visits: 2 } });
  });

  it('POST_ADD_USER without a cookie gives the user one permanent profile, and a repeat finds it', async () => {
    const first = await sync({ event: 'POST_ADD_USER', userId: 'added-alone' });
    expectStatus(first, 200);
    expect(first.body.user_id).toBe('added-alone');
    const again = await sync({ event: 'POST_ADD_USER', userId: 'added-alone' });
    expectStatus(again, 200);
    expect(again.body.profile_id).toBe(first.body.profile_id);
    await api.catchUp();
    expect((await api.listProfiles({ filter: 'user_id eq added-alone' })).body.profiles).toHaveLength(1);
    // A later sign-in on a device merges into that permanent profile.
    const device = (await api.createProfile({ traits: { visits: 5 } })).body;
    const signedIn = await sync({ event: 'AUTHENTICATION_SUCCESS', userId: 'added-alone', profileCookie: device.anonymous_profile_tracker });
    expect(signedIn.body).toMatchObject({ profile_id: first.body.profile_id, traits: { visits: 5 } });
  });

  it('SESSION_TERMINATE: the cookie stops leading to the profile; the profile stays the user\'s', async () => {
    const browser = (await api.createProfile({ traits: { visits: 1 } })).body;
    expectStatus(await sync({ event: 'AUTHENTICATION_SUCCESS', user_id: 'logged-out', anonymous_profile_tracker: browser.anonymous_profile_tracker }), 200);
    const ended = await sync({ event: 'SESSION_TERMINATE', userId: 'logged-out', profileCookie: browser.anonymous_profile_tracker });
    expectStatus(ended, 200);
    expect(ended.body).toMatchObject({ profile_id: browser.profile_id, user_id: 'logged-out' });
    const next = await api.createProfile({}, { cookie: `cds_profile=${browser.anonymous_profile_tracker}` });
    expectStatus(next, 201);
    expect(next.body.profile_id).not.toBe(browser.profile_id);
    expect(next.body.user_id).toBeNull();
    expect((await api.getProfile(browser.profile_id, ended.position)).body.user_id).toBe('logged-out');
    // Ending it again: the cookie leads nowhere now.
    expectError(await sync({ event: 'SESSION_TERMINATE', profileCookie: browser.anonymous_profile_tracker }), 404);
  });

  it('POST_DELETE_USER_WITH_ID erases the user\'s permanent profile as DELETE does (204)', async () => {
    const browser = (await api.createProfile({ traits: { visits: 7 } })).body;
    expectStatus(await sync({ event: 'AUTHENTICATION_SUCCESS', userId: 'leaving', profileCookie: browser.anonymous_profile_tracker }), 200);
    const erased = await sync({ event: 'POST_DELETE_USER_WITH_ID', userId: 'leaving' });
    expect(erased.status).toBe(204);
    expectError(await api.getProfile(browser.profile_id), 404);
    expectError(await api.request('GET', `/profiles/${browser.profile_id}/export`), 404);
    expectError(await sync({ event: 'POST_DELETE_USER_WITH_ID', userId: 'leaving' }), 404);
  });

  it.each([
    [{ event: 'PASSWORD_CHANGED', userId: 'u' }, 'event'],
    [{ event: 'SESSION_TERMINATE' }, 'anonymous_profile_tracker'],
    [{ event: 'POST_ADD_USER' }, 'user_id'],
    [{ event: 'AUTHENTICATION_SUCCESS', userId: 'u', profileCookie: 'c', orgHandle: 'someone-else' }, 'orgHandle'],
  ])('refuses %j with 400 naming %s, appending nothing', async (body, field) => {
    const res = await expectNothingAppended(api, () => sync(body));
    expectError(res, 400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    if (field === 'event') expect(JSON.stringify(res.body)).toMatch(/POST_ADD_USER.*SESSION_TERMINATE.*POST_DELETE_USER_WITH_ID/);
  });
});
