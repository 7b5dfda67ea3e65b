import { ApiClient, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * One user_id, one permanent profile — under load. Hundreds of users sign in on two devices at
 * the same moment; every request is answered (no 5xx, no 409: contention between users is never
 * the caller's problem), and every user ends with exactly one live profile holding what both
 * devices wrote.
 */
describe('a sign-in storm', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'storm');
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'devices', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
      ]),
      201,
    );
  });
  afterAll(() => running.stop());

  it('300 users × 2 devices, 600 sign-ins at once: one live profile per user with both devices\' values', async () => {
    const users = Array.from({ length: 300 }, (_, i) => `storm-user-${i}`);
    const devices = await Promise.all(
      users.flatMap((user) =>
        ['phone', 'laptop'].map(async (kind) => {
          const created = await api.createProfile({ traits: { visits: 1, devices: [kind] } });
          expectStatus(created, 201);
          return { user, kind, tracker: created.body.anonymous_profile_tracker as string };
        }),
      ),
    );

    const answers = await Promise.all(devices.map((d) => api.signIn(d.user, d.tracker)));
    expect(answers.map((a) => a.status).filter((status) => status !== 200)).toEqual([]);
    for (const [i, answer] of answers.entries()) expect(answer.body.user_id).toBe(devices[i].user);

    await api.catchUp();
    for (const user of users) {
      const listed = await api.listProfiles({ filter: `user_id eq ${user}`, page_size: 10 });
      expectStatus(listed, 200);
      expect(listed.body.profiles).toHaveLength(1);
      const [profile] = listed.body.profiles;
      expect(profile.traits.visits).toBe(2);
      expect([...profile.traits.devices].sort()).toEqual(['laptop', 'phone']);
    }
  });

  it('answers each sign-in with the unified profile, at a position a read can wait for to see the merge', async () => {
    const phone = await api.createProfile({ traits: { visits: 3, devices: ['phone'] } });
    const laptop = await api.createProfile({ traits: { visits: 4, devices: ['laptop'] } });
    expectStatus(await api.signIn('waiting-user', phone.body.anonymous_profile_tracker), 200);
    const second = await api.signIn('waiting-user', laptop.body.anonymous_profile_tracker);
    expectStatus(second, 200);
    expect(second.body).toMatchObject({ profile_id: phone.body.profile_id, user_id: 'waiting-user', traits: { visits: 7 } });
    expect(second.body.merged_from.map((m: { profile_id: string }) => m.profile_id)).toEqual([laptop.body.profile_id]);
    const read = await api.getProfile(laptop.body.profile_id, second.position);
    expectStatus(read, 200);
    expect(read.body).toMatchObject({ profile_id: phone.body.profile_id, traits: { visits: 7 } });
  });
});
