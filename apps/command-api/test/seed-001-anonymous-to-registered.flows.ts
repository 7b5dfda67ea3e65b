import { ApiClient, expectStatus } from './api-client';
import { RunningApp } from './test-app';

/**
 * Seed 001, "Unify anonymous and registered profiles": activity before registration stays with
 * the account, and later activity on that browser maps to the same user.
 */
export function describeSeed001(adapters: string, start: () => Promise<RunningApp>): void {
  describe(`seed 001: anonymous visitor becomes a registered user (${adapters})`, () => {
    let running: RunningApp;
    let api: ApiClient;

    beforeAll(async () => {
      running = await start();
      api = new ApiClient(running.baseUrl, 'retail');
      expectStatus(
        await api.defineAttributes('traits', [
          { attribute_name: 'browsed_categories', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
          { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        ]),
        201,
      );
    });
    afterAll(() => running.stop());

    it('keeps pre-registration activity on the registered profile', async () => {
      // 2. Anonymous visitor.
      const created = await api.createProfile({});
      const { profile_id: id, anonymous_profile_tracker: tracker } = created.body;
      // 3. Activity while anonymous.
      await api.patchProfile(id, { traits: { browsed_categories: ['shoes'], visits: 1 } });
      await api.patchProfile(id, { traits: { browsed_categories: ['bags'], visits: 1 } });
      // 4. Self-registration then sign-in with the tracker: the user's first profile is this one.
      const signedIn = await api.signIn('new-user-1', tracker);
      expectStatus(signedIn, 200);
      const profile = await api.getProfile(id, signedIn.position);
      expect(profile.body).toMatchObject({
        profile_id: id,
        user_id: 'new-user-1',
        verified: true,
        traits: { browsed_categories: ['shoes', 'bags'], visits: 2 },
      });
    });

    it('merges the temporary profile into the user account that already exists', async () => {
      const first = await api.createProfile({});
      await api.patchProfile(first.body.profile_id, { traits: { visits: 3 } });
      await api.signIn('returning-user', first.body.anonymous_profile_tracker);

      // Later, anonymous on a new browser, then signs in.
      const temp = await api.createProfile({});
      await api.patchProfile(temp.body.profile_id, { traits: { browsed_categories: ['hats'], visits: 2 } });
      const signedIn = await api.signIn('returning-user', temp.body.anonymous_profile_tracker);
      expect(signedIn.body.profile_id).toBe(first.body.profile_id);
      const profile = await api.getProfile(first.body.profile_id, signedIn.position);
      expect(profile.body.traits).toEqual({ visits: 5, browsed_categories: ['hats'] });
    });

    it('maps later activity on the same browser to the same user', async () => {
      const first = await api.createProfile({});
      await api.signIn('cookie-user', first.body.anonymous_profile_tracker);
      const second = await api.createProfile({});
      await api.signIn('cookie-user', second.body.anonymous_profile_tracker);

      // The second browser comes back anonymously with its cookie: same (permanent) profile, no new one.
      const again = await api.createProfile({}, { cookie: `cds_profile=${second.body.anonymous_profile_tracker}` });
      expectStatus(again, 200);
      expect(again.body.profile_id).toBe(first.body.profile_id);

      // Writing through the merged-away id lands on the permanent profile.
      const write = await api.patchProfile(second.body.profile_id, { traits: { browsed_categories: ['later'] } });
      expectStatus(write, 200);
      expect(write.body.profile_id).toBe(first.body.profile_id);
      const profile = await api.getProfile(first.body.profile_id, write.position);
      expect(profile.body.traits.browsed_categories).toEqual(['later']);
    });
  });
}
