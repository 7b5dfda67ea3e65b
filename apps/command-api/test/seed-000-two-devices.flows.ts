import { ApiClient, expectStatus } from './api-client';
import { RunningApp } from './test-app';

/**
 * Seed 000, "Accumulate data across multiple devices", step by step: anonymous activity on two
 * devices, a sign-in on each, one permanent profile holding both devices' activity.
 */
export function describeSeed000(adapters: string, start: () => Promise<RunningApp>): void {
  describe(`seed 000: accumulate activity across devices (${adapters})`, () => {
    let running: RunningApp;
    let api: ApiClient;
    const APP = 'shop_web';

    beforeAll(async () => {
      running = await start();
      api = new ApiClient(running.baseUrl, 'acme');
      expectStatus(
        await api.defineAttributes('traits', [
          { attribute_name: 'traits.interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
          { attribute_name: 'traits.last_page', value_type: 'string', merge_strategy: 'overwrite' },
        ]),
        201,
      );
      expectStatus(
        await api.defineAttributes('application_data', {
          attribute_name: 'viewed_products',
          value_type: 'string',
          multi_valued: true,
          merge_strategy: 'combine',
          application_identifier: APP,
        }),
        201,
      );
    });
    afterAll(() => running.stop());

    it('keeps both devices activity in one permanent profile after sign-in on each', async () => {
      // 1–2. Each device starts its own temporary profile.
      const deviceA = await api.createProfile({});
      const deviceB = await api.createProfile({});
      expectStatus(deviceA, 201);
      expectStatus(deviceB, 201);
      expect(deviceA.body.profile_id).not.toBe(deviceB.body.profile_id);
      expect(deviceA.headers.get('set-cookie')).toContain(`cds_profile=${deviceA.body.anonymous_profile_tracker}`);
      expect(deviceA.body.meta.location).toBe(`acme/cds/api/v1/profiles/${deviceA.body.profile_id}`);

      // 3. Activity lands on each device's own profile.
      const a = deviceA.body.profile_id;
      const b = deviceB.body.profile_id;
      expectStatus(await api.patchProfile(a, { traits: { interests: ['running'], last_page: '/a/shoes' } }), 200);
      expectStatus(await api.patchProfile(a, { application_data: { [APP]: { viewed_products: ['sku-1'] } } }), 200);
      expectStatus(await api.patchProfile(b, { traits: { interests: ['cycling'], last_page: '/b/helmets' } }), 200);
      expectStatus(await api.patchProfile(b, { application_data: { [APP]: { viewed_products: ['sku-2', 'sku-1'] } } }), 200);

      // 4. Sign-in on each device stamps the same user_id.
      const signInA = await api.signIn('user-42', deviceA.body.anonymous_profile_tracker);
      expectStatus(signInA, 200);
      expect(signInA.body).toMatchObject({ profile_id: a, user_id: 'user-42', verified: true });
      const signInB = await api.signIn('user-42', deviceB.body.anonymous_profile_tracker);
      expectStatus(signInB, 200);

      // 5. One permanent profile: the first to carry the user_id, holding both devices' activity.
      expect(signInB.body.profile_id).toBe(a);
      const permanent = await api.getProfile(a, signInB.position);
      expectStatus(permanent, 200);
      expect(permanent.body.user_id).toBe('user-42');
      expect(permanent.body.traits.interests).toEqual(['running', 'cycling']);
      expect(permanent.body.application_data[APP].viewed_products).toEqual(['sku-1', 'sku-2']);
      // overwrite: the most recently merged device's value wins (the warning of seed 000).
      expect(permanent.body.traits.last_page).toBe('/b/helmets');
      expect(permanent.body.merged_from).toEqual([
        expect.objectContaining({ profile_id: b, reason: 'user_id', triggered_by: 'merged' }),
      ]);

      // Device B's id now reaches the permanent profile.
      const viaB = await api.getProfile(b, signInB.position);
      expectStatus(viaB, 200);
      expect(viaB.body.profile_id).toBe(a);

      // Only one profile remains in the list.
      const list = await api.request('GET', '/profiles?filter=user_id eq user-42');
      expect(list.body.profiles.map((p: { profile_id: string }) => p.profile_id)).toEqual([a]);
    });

    it('with overwrite alone, the other device appears to lose its value', async () => {
      const deviceA = await api.createProfile({ traits: { last_page: '/a/only' } });
      const deviceB = await api.createProfile({ traits: { last_page: '/b/only' } });
      await api.signIn('user-7', deviceA.body.anonymous_profile_tracker);
      const merged = await api.signIn('user-7', deviceB.body.anonymous_profile_tracker);
      const profile = await api.getProfile(deviceA.body.profile_id, merged.position);
      expect(profile.body.traits).toEqual({ last_page: '/b/only' });
    });
  });
}
