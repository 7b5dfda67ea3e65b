import { ApiClient, expectError, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/** GET /profiles/{id}/export: everything kept about a data subject, as one JSON download. */
describe('subject export', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'export');
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
      ]),
      201,
    );
  });
  afterAll(() => running.stop());

  it('downloads the unified profile, every profile merged into it, and the whole history, also through a merged-away id', async () => {
    const phone = (await api.createProfile({ traits: { visits: 1, pages: ['/phone'] } })).body;
    const laptop = (await api.createProfile({ traits: { visits: 2, pages: ['/laptop'] } })).body;
    for (let i = 0; i < 150; i++) expectStatus(await api.patchProfile(laptop.profile_id, { traits: { visits: 1 } }), 200);
    expectStatus(await api.signIn('exported', phone.anonymous_profile_tracker), 200);
    expectStatus(await api.signIn('exported', laptop.anonymous_profile_tracker), 200);

    const res = await fetch(`${running.baseUrl}/t/export/cds/api/v1/profiles/${laptop.profile_id}/export`, { headers: { authorization: `Bearer ${await api.token()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="profile-${phone.profile_id}.json"`);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ format: 'cds-subject-export', version: 1, organization: 'export', profile: { profile_id: phone.profile_id, user_id: 'exported', traits: { visits: 153 } } });
    expect(body.merged_profiles).toEqual([
      expect.objectContaining({ profile_id: laptop.profile_id, reason: 'user_id', when_merged: expect.objectContaining({ traits: { visits: 152, pages: ['/laptop'] } }) }),
    ]);
    // Every page of the history, oldest first, in the history item shape.
    const writes = body.history.filter((item: { type: string }) => item.type === 'attributes_written');
    expect(writes).toHaveLength(152);
    expect(body.history.every((item: { version: number }) => item.version === 1)).toBe(true);
    const positions = body.history.map((item: { position: number }) => item.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(body.history.map((item: { type: string }) => item.type)).toEqual(expect.arrayContaining(['profile_created', 'user_id_stamped', 'merged_away', 'profile_merged_in']));
  });

  it('is 404 for an unknown id and needs the view scope', async () => {
    expectError(await api.request('GET', `/profiles/${globalThis.crypto.randomUUID()}/export`), 404);
    const someone = (await api.createProfile({})).body.profile_id;
    expectError(await api.request('GET', `/profiles/${someone}/export`, { token: await api.token('internal_cds_profile_update') }), 403);
  });
});
