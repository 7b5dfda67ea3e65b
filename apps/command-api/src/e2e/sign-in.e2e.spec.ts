import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * SPEC §5 "By user_id" and the invariants: sign-in stamps the user on the tracked profile and
 * merges it into the user's permanent profile; profiles of different users never merge; no
 * accepted write is lost, also when writes and sign-ins race.
 */
describe('sign-in (POST /profiles/sync)', () => {
  let running: RunningApp;
  let api: ApiClient;

  interface Device {
    profile_id: string;
    anonymous_profile_tracker: string;
  }
  /** A browser with its own anonymous profile, with some activity on it. */
  const device = async (traits: Record<string, unknown> = {}): Promise<Device> => {
    const res = await api.createProfile({ traits });
    expectStatus(res, 201);
    return res.body;
  };
  const read = async (id: string, position?: number) => {
    const res = await api.getProfile(id, position ?? (await api.logHead())!);
    expectStatus(res, 200);
    return res.body;
  };
  /** The live profiles carrying this user_id, once the read model holds everything written. */
  const profilesOf = async (userId: string) => {
    await api.catchUp();
    const res = await api.listProfiles({ filter: `user_id eq ${userId}`, page_size: 100 });
    expectStatus(res, 200);
    return res.body.profiles;
  };
  const mergedIds = (profile: { merged_from: Array<{ profile_id: string }> }) => profile.merged_from.map((m) => m.profile_id).sort();

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'signin');
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
        { attribute_name: 'device', value_type: 'string', merge_strategy: 'overwrite' },
      ]),
      201,
    );
  });
  afterAll(() => running.stop());

  describe('body forms', () => {
    it('stamps the user on the tracked profile (snake_case body)', async () => {
      const phone = await device({ visits: 1 });
      const res = await api.sync({
        event: 'AUTHENTICATION_SUCCESS',
        user_id: 'snake-user',
        anonymous_profile_tracker: phone.anonymous_profile_tracker,
      });
      expectStatus(res, 200);
      expect(res.position).toEqual(expect.any(Number));
      expect(res.body).toMatchObject({ profile_id: phone.profile_id, user_id: 'snake-user', verified: true, traits: { visits: 1 } });
      expect(await read(phone.profile_id, res.position)).toMatchObject({ user_id: 'snake-user', verified: true, merged_from: [] });
    });

    it('accepts the camelCase body (userId, profileCookie)', async () => {
      const phone = await device();
      const res = await api.sync({ event: 'AUTHENTICATION_SUCCESS', userId: 'camel-user', profileCookie: phone.anonymous_profile_tracker });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ profile_id: phone.profile_id, user_id: 'camel-user' });
      const second = await device();
      const merged = await api.sync({ userId: 'camel-user', profileCookie: second.anonymous_profile_tracker });
      expectStatus(merged, 200);
      expect(merged.body.profile_id).toBe(phone.profile_id);
    });
  });

  it('answers 404 for a tracker no profile has, appending nothing', async () => {
    const res = await expectNothingAppended(api, () => api.signIn('lost-user', 'no-such-tracker'));
    expectError(res, 404, 'profile_not_found');
    expect(await profilesOf('lost-user')).toEqual([]);
  });

  it("refuses (409) a second user on a stamped profile: it keeps its user and nothing merges", async () => {
    const shared = await device({ device: 'shared-laptop', visits: 1 });
    const bobs = await device({ visits: 10 });
    expectStatus(await api.signIn('alice', shared.anonymous_profile_tracker), 200);
    expectStatus(await api.signIn('bob', bobs.anonymous_profile_tracker), 200);

    const res = await expectNothingAppended(api, () => api.signIn('bob', shared.anonymous_profile_tracker));
    expectError(res, 409);
    expect(await read(shared.profile_id)).toMatchObject({ user_id: 'alice', traits: { visits: 1 }, merged_from: [] });
    expect(await read(bobs.profile_id)).toMatchObject({ user_id: 'bob', traits: { visits: 10 }, merged_from: [] });
    expect((await profilesOf('bob')).map((p: Device) => p.profile_id)).toEqual([bobs.profile_id]);
  });

  it('is harmless to sign in twice with the same user (200, nothing appended, no merge)', async () => {
    const phone = await device({ visits: 2 });
    const first = await api.signIn('twice-user', phone.anonymous_profile_tracker);
    expectStatus(first, 200);
    const again = await expectNothingAppended(api, () => api.signIn('twice-user', phone.anonymous_profile_tracker));
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ profile_id: phone.profile_id, user_id: 'twice-user', merged_from: [] });
    expect(await read(phone.profile_id)).toMatchObject({ traits: { visits: 2 }, merged_from: [] });
  });

  it("resolves a merged-away profile's tracker to the survivor", async () => {
    const laptop = await device({ visits: 1 });
    const phone = await device({ visits: 2 });
    await api.signIn('returning', laptop.anonymous_profile_tracker);
    expect((await api.signIn('returning', phone.anonymous_profile_tracker)).body.profile_id).toBe(laptop.profile_id);

    // The phone signs in again later: same permanent profile, no second merge.
    const again = await expectNothingAppended(api, () => api.signIn('returning', phone.anonymous_profile_tracker));
    expectStatus(again, 200);
    expect(again.body.profile_id).toBe(laptop.profile_id);
    const survivor = await read(laptop.profile_id);
    expect(survivor.traits.visits).toBe(3);
    expect(mergedIds(survivor)).toEqual([phone.profile_id]);

    // Another user through the merged-away tracker meets the survivor's user: refused.
    expectError(await api.signIn('intruder', phone.anonymous_profile_tracker), 409);
  });

  it('starts a new permanent profile when the old one was erased', async () => {
    const old = await device({ visits: 5 });
    await api.signIn('reborn', old.anonymous_profile_tracker);
    expectStatus(await api.deleteProfile(old.profile_id), 204);

    const fresh = await device({ visits: 1 });
    const res = await api.signIn('reborn', fresh.anonymous_profile_tracker);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ profile_id: fresh.profile_id, user_id: 'reborn', merged_from: [] });
    expect((await profilesOf('reborn')).map((p: Device) => p.profile_id)).toEqual([fresh.profile_id]);
  });

  describe('the merge', () => {
    it('combines values by strategy with the signing-in device as incoming', async () => {
      const laptop = await device({ device: 'laptop', pages: ['home', 'shoes'], visits: 2 });
      await api.signIn('merging', laptop.anonymous_profile_tracker);
      const phone = await device({ device: 'phone', pages: ['shoes', 'bags'], visits: 3 });
      const res = await api.signIn('merging', phone.anonymous_profile_tracker);
      expect(await read(laptop.profile_id, res.position)).toMatchObject({
        profile_id: laptop.profile_id,
        user_id: 'merging',
        verified: true,
        traits: { device: 'phone', pages: ['home', 'shoes', 'bags'], visits: 5 },
        merged_from: [{ profile_id: phone.profile_id, reason: 'user_id', triggered_by: 'merged', merged_at: expect.any(String) }],
      });
    });

    it('reverses the roles when the signing-in device has no tracking consent', async () => {
      const laptop = await device({ device: 'laptop' });
      await api.signIn('no-consent', laptop.anonymous_profile_tracker);
      const kiosk = (await api.createProfile({ traits: { device: 'kiosk' }, tracking_consent: false })).body;
      const res = await api.signIn('no-consent', kiosk.anonymous_profile_tracker);
      expect((await read(laptop.profile_id, res.position)).traits.device).toBe('laptop');
    });

    it('keeps the first device to carry the user_id as the permanent profile, however many follow', async () => {
      const first = await device({ visits: 1 });
      await api.signIn('collector', first.anonymous_profile_tracker);
      const others = [await device({ visits: 1 }), await device({ visits: 1 }), await device({ visits: 1 })];
      for (const other of others) {
        expect((await api.signIn('collector', other.anonymous_profile_tracker)).body.profile_id).toBe(first.profile_id);
      }
      const survivor = await read(first.profile_id);
      expect(survivor.traits.visits).toBe(4);
      expect(mergedIds(survivor)).toEqual(others.map((o) => o.profile_id).sort());
      for (const other of others) expect((await read(other.profile_id)).profile_id).toBe(first.profile_id);
    });
  });

  describe('concurrency', () => {
    it('ends two devices signing in at the same moment with one profile holding both (10 rounds)', async () => {
      for (let round = 0; round < 10; round++) {
        const user = `racer-${round}`;
        const laptop = await device({ pages: [`laptop-${round}`], visits: 1, device: 'laptop' });
        const phone = await device({ pages: [`phone-${round}`], visits: 2, device: 'phone' });
        const [a, b] = await Promise.all([api.signIn(user, laptop.anonymous_profile_tracker), api.signIn(user, phone.anonymous_profile_tracker)]);
        expectStatus(a, 200);
        expectStatus(b, 200);
        expect(a.body.profile_id).toBe(b.body.profile_id);

        const live = await profilesOf(user);
        expect(live).toHaveLength(1);
        const [profile] = live;
        expect([laptop.profile_id, phone.profile_id]).toContain(profile.profile_id);
        expect(profile.traits.pages.sort()).toEqual([`laptop-${round}`, `phone-${round}`]);
        expect(profile.traits.visits).toBe(3);
        expect(profile.merged_from).toHaveLength(1);
      }
    });

    it('ends four devices signing in at the same moment with one profile holding all', async () => {
      const user = 'four-devices';
      const devices = await Promise.all([1, 2, 3, 4].map((n) => device({ pages: [`d${n}`], visits: n })));
      const answers = await Promise.all(devices.map((d) => api.signIn(user, d.anonymous_profile_tracker)));
      answers.forEach((res) => expectStatus(res, 200));
      const live = await profilesOf(user);
      expect(live).toHaveLength(1);
      expect(live[0].traits.pages.sort()).toEqual(['d1', 'd2', 'd3', 'd4']);
      expect(live[0].traits.visits).toBe(10);
    });

    it('counts every one of 20 concurrent sum PATCHes', async () => {
      const phone = await device();
      const answers = await Promise.all(Array.from({ length: 20 }, () => api.patchProfile(phone.profile_id, { traits: { visits: 1 } })));
      answers.forEach((res) => expectStatus(res, 200));
      expect(new Set(answers.map((res) => res.position)).size).toBe(20);
      expect((await read(phone.profile_id)).traits.visits).toBe(20);
    });

    it('loses no write that races a merge (5 rounds)', async () => {
      for (let round = 0; round < 5; round++) {
        const user = `busy-${round}`;
        const laptop = await device({ pages: ['laptop'], visits: 100 });
        await api.signIn(user, laptop.anonymous_profile_tracker);
        const phone = await device({ pages: ['phone'] });

        const writes = Array.from({ length: 10 }, (_, i) => api.patchProfile(phone.profile_id, { traits: { pages: [`w-${i}`], visits: 1 } }));
        const [signIn, ...written] = await Promise.all([api.signIn(user, phone.anonymous_profile_tracker), ...writes]);
        expectStatus(signIn, 200);
        expect(signIn.body.profile_id).toBe(laptop.profile_id);
        written.forEach((res) => expectStatus(res, 200));

        const survivor = await read(laptop.profile_id);
        expect(survivor.traits.visits).toBe(110);
        expect([...survivor.traits.pages].sort()).toEqual(['laptop', 'phone', ...Array.from({ length: 10 }, (_, i) => `w-${i}`)].sort());
        expect(await profilesOf(user)).toHaveLength(1);
      }
    });

    it('lets exactly one of two users racing for one anonymous profile have it', async () => {
      for (let round = 0; round < 5; round++) {
        const kiosk = await device({ visits: 1 });
        const [x, y] = await Promise.all([`x-${round}`, `y-${round}`].map((user) => api.signIn(user, kiosk.anonymous_profile_tracker)));
        expect([x.status, y.status].sort()).toEqual([200, 409]);
        const winner = x.status === 200 ? `x-${round}` : `y-${round}`;
        expect(await read(kiosk.profile_id)).toMatchObject({ user_id: winner, merged_from: [] });
      }
    });
  });
});
