import { ApiClient, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * Seed 002, "Profile identity resolution and merging", over HTTP: each example of the seed as a
 * named test, then concurrency. Every test gets its own organization, schema and rules.
 */
describe('seed 002: identity resolution rules', () => {
  let running: RunningApp;
  let root: ApiClient;
  let orgs = 0;

  beforeAll(async () => {
    running = await startTestApp();
    root = new ApiClient(running.baseUrl, 'seed002');
  });
  afterAll(() => running.stop());

  interface RuleSpec {
    name: string;
    property: string;
    immutable?: boolean;
  }

  /** A fresh organization with the attributes of the seed's examples and the given rules, in priority order. */
  async function organization(rules: RuleSpec[]): Promise<ApiClient> {
    const api = root.forOrganization(`seed002-${++orgs}`);
    expectStatus(
      await api.defineAttributes('identity_attributes', [
        { attribute_name: 'member_email', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'contact_email', value_type: 'string', merge_strategy: 'overwrite' },
      ]),
      201,
    );
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'external_id', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'favourite_colour', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
      ]),
      201,
    );
    for (const [i, rule] of rules.entries()) {
      const res = await api.request('POST', '/unification-rules', {
        body: { rule_name: rule.name, property_name: rule.property, priority: i + 1, immutable: rule.immutable ?? false },
      });
      expectStatus(res, 201);
    }
    return api;
  }

  async function profile(api: ApiClient, body: Record<string, unknown> = {}) {
    const res = await api.createProfile(body);
    expectStatus(res, 201);
    return res.body as { profile_id: string; anonymous_profile_tracker: string };
  }

  /** Live profiles of the organization, after the read model caught up with `position`. */
  async function liveProfiles(api: ApiClient, position?: number) {
    const res = await api.request('GET', `/profiles?page_size=100${position ? `&wait_for_position=${position}` : ''}`);
    expectStatus(res, 200);
    return res.body.profiles as Array<Record<string, any>>;
  }

  const MEMBER_P1_CONTACT_P2 = (contactImmutable: boolean): RuleSpec[] => [
    { name: 'MemberEmail', property: 'identity_attributes.member_email' },
    { name: 'ContactEmail', property: 'identity_attributes.contact_email', immutable: contactImmutable },
  ];

  it('immutable identity with conflicting values blocks the merge', async () => {
    const api = await organization(MEMBER_P1_CONTACT_P2(true));
    await profile(api, { identity_attributes: { member_email: 'shared@example.com', contact_email: 'alice@example.com' } });
    const b = await api.createProfile({ identity_attributes: { member_email: 'shared@example.com', contact_email: 'bob@example.com' } });
    expect(b.body.merged_from).toEqual([]);
    expect(await liveProfiles(api, b.position)).toHaveLength(2);
  });

  it('mutable identity with conflicting values merges, keeping the triggering profile value', async () => {
    const api = await organization(MEMBER_P1_CONTACT_P2(false));
    const a = await profile(api, { identity_attributes: { member_email: 'shared@example.com', contact_email: 'alice@example.com' } });
    const b = await profile(api);
    const write = await api.patchProfile(b.profile_id, {
      identity_attributes: { member_email: 'shared@example.com', contact_email: 'bob@example.com' },
    });
    expectStatus(write, 200);
    // A is older, so it survives; B triggered, so B's conflicting value wins.
    expect(write.body.profile_id).toBe(a.profile_id);
    expect(write.body.identity_attributes).toEqual({ member_email: 'shared@example.com', contact_email: 'bob@example.com' });
    expect(write.body.merged_from).toEqual([
      expect.objectContaining({ profile_id: b.profile_id, reason: 'rule', rule_name: 'MemberEmail', triggered_by: 'merged' }),
    ]);
    const live = await liveProfiles(api, write.position);
    expect(live.map((p) => p.profile_id)).toEqual([a.profile_id]);
  });

  it('immutable identity with one empty value merges: empty is never a conflict', async () => {
    const api = await organization(MEMBER_P1_CONTACT_P2(true));
    const a = await profile(api, { identity_attributes: { member_email: 'shared@example.com', contact_email: 'alice@example.com' } });
    const b = await api.createProfile({ identity_attributes: { member_email: 'shared@example.com' } });
    expect(b.body.profile_id).toBe(a.profile_id);
    expect(b.body.identity_attributes.contact_email).toBe('alice@example.com');
  });

  it('priority case 1: the matching identity outranks the conflicting mutable one, so they merge', async () => {
    const api = await organization([
      { name: 'ContactEmail', property: 'identity_attributes.contact_email' },
      { name: 'ExternalId', property: 'traits.external_id' },
    ]);
    const a = await profile(api, { identity_attributes: { contact_email: 'p@example.com' }, traits: { external_id: 'X-1' } });
    const b = await api.createProfile({ identity_attributes: { contact_email: 'p@example.com' }, traits: { external_id: 'X-2' } });
    expect(b.body.profile_id).toBe(a.profile_id);
    expect(b.body.traits.external_id).toBe('X-2');
  });

  it('priority case 2: the conflicting mutable identity outranks the matching one, so the merge is blocked', async () => {
    const api = await organization([
      { name: 'ExternalId', property: 'traits.external_id' },
      { name: 'ContactEmail', property: 'identity_attributes.contact_email' },
    ]);
    await profile(api, { identity_attributes: { contact_email: 'p@example.com' }, traits: { external_id: 'X-1' } });
    const b = await api.createProfile({ identity_attributes: { contact_email: 'p@example.com' }, traits: { external_id: 'X-2' } });
    expect(b.body.merged_from).toEqual([]);
    expect(await liveProfiles(api, b.position)).toHaveLength(2);
  });

  it('profiles of different members (different user_ids) never merge', async () => {
    const api = await organization([{ name: 'ContactEmail', property: 'identity_attributes.contact_email' }]);
    const a = await profile(api);
    const b = await profile(api);
    await api.signIn('member-1', a.anonymous_profile_tracker);
    await api.signIn('member-2', b.anonymous_profile_tracker);
    await api.patchProfile(a.profile_id, { identity_attributes: { contact_email: 'same@example.com' } });
    const write = await api.patchProfile(b.profile_id, { identity_attributes: { contact_email: 'same@example.com' } });
    expect(write.body.profile_id).toBe(b.profile_id);
    expect(await liveProfiles(api, write.position)).toHaveLength(2);
  });

  it('identity matching is case-sensitive', async () => {
    const api = await organization([{ name: 'ContactEmail', property: 'identity_attributes.contact_email' }]);
    await profile(api, { identity_attributes: { contact_email: 'user@example.com' } });
    const b = await api.createProfile({ identity_attributes: { contact_email: 'USER@example.com' } });
    expect(b.body.merged_from).toEqual([]);
    expect(await liveProfiles(api, b.position)).toHaveLength(2);
  });

  it('a legitimate-interest profile that triggers the merge yields to the full profile', async () => {
    const api = await organization([{ name: 'ContactEmail', property: 'identity_attributes.contact_email' }]);
    const full = await profile(api, { identity_attributes: { contact_email: 'li@example.com' }, traits: { favourite_colour: 'blue' } });
    const untracked = await api.createProfile({
      tracking_consent: false,
      identity_attributes: { contact_email: 'li@example.com' },
      traits: { favourite_colour: 'red', interests: ['newsletter'] },
    });
    expect(untracked.body.profile_id).toBe(full.profile_id);
    // The standard precedence is reversed: the full profile's conflicting value stays.
    expect(untracked.body.traits).toEqual({ favourite_colour: 'blue', interests: ['newsletter'] });
  });

  it('the merged profile is verified when either side was', async () => {
    const api = await organization([{ name: 'ContactEmail', property: 'identity_attributes.contact_email' }]);
    const member = await profile(api);
    await api.signIn('member-verified', member.anonymous_profile_tracker);
    await api.patchProfile(member.profile_id, { identity_attributes: { contact_email: 'v@example.com' } });
    const anonymous = await api.createProfile({ identity_attributes: { contact_email: 'v@example.com' } });
    // The profile with the user_id survives whatever the age.
    expect(anonymous.body).toMatchObject({ profile_id: member.profile_id, verified: true, user_id: 'member-verified' });
  });

  it('a blocked match moves on to the next identity', async () => {
    const api = await organization([
      { name: 'MemberEmail', property: 'identity_attributes.member_email' },
      { name: 'ContactEmail', property: 'identity_attributes.contact_email' },
      { name: 'ExternalId', property: 'traits.external_id', immutable: true },
    ]);
    // C matches X on member_email but their immutable external ids differ; it matches Y by contact_email.
    await profile(api, { identity_attributes: { member_email: 'm@example.com' }, traits: { external_id: 'E-1' } });
    const y = await profile(api, { identity_attributes: { contact_email: 'c@example.com' } });
    const c = await api.createProfile({
      identity_attributes: { member_email: 'm@example.com', contact_email: 'c@example.com' },
      traits: { external_id: 'E-2' },
    });
    expect(c.body.profile_id).toBe(y.profile_id);
    expect(c.body.merged_from[0]).toMatchObject({ reason: 'rule', rule_name: 'ContactEmail' });
  });

  it('chains end in one survivor: A matches B, and what B brought matches C', async () => {
    const api = await organization([
      { name: 'ContactEmail', property: 'identity_attributes.contact_email' },
      { name: 'ExternalId', property: 'traits.external_id' },
    ]);
    const a = await profile(api, { identity_attributes: { contact_email: 'chain@example.com' }, traits: { visits: 1 } });
    const c = await profile(api, { traits: { external_id: 'EXT-9', visits: 4 } });
    // B shares A's email and C's external id: one write makes all three one person.
    const b = await api.createProfile({
      identity_attributes: { contact_email: 'chain@example.com' },
      traits: { external_id: 'EXT-9', visits: 2 },
    });
    expect(b.body.profile_id).toBe(a.profile_id);
    expect(b.body.traits.visits).toBe(7);
    expect(b.body.merged_from.map((m: { profile_id: string }) => m.profile_id).sort()).toEqual(
      [b.body.merged_from[0].profile_id, c.profile_id].sort(),
    );
    expect(await liveProfiles(api, b.position)).toHaveLength(1);
  });

  it('shows the rule that merged a profile in its merged_from, and the merged id reaches the survivor', async () => {
    const api = await organization([{ name: 'ContactEmail', property: 'identity_attributes.contact_email' }]);
    const a = await profile(api, { identity_attributes: { contact_email: 'shown@example.com' } });
    const b = await api.createProfile({ identity_attributes: { contact_email: 'shown@example.com' } });
    const viaB = await api.getProfile(b.body.merged_from[0].profile_id, b.position);
    expect(viaB.body.profile_id).toBe(a.profile_id);
    expect(viaB.body.merged_from).toEqual([
      expect.objectContaining({ reason: 'rule', rule_name: 'ContactEmail', triggered_by: 'merged' }),
    ]);
  });

  describe('concurrency', () => {
    it.each([1, 2, 3])(
      'round %i: 50 parallel writers sharing identities across rules end in one profile per person, losing nothing',
      async () => {
        const api = await organization([
          { name: 'ContactEmail', property: 'identity_attributes.contact_email' },
          { name: 'ExternalId', property: 'traits.external_id' },
        ]);
        const people = 10;
        const writers = Array.from({ length: 50 }, (_, i) => ({ person: i % people, n: i }));
        // Each writer creates a profile carrying its person's email or external id (never both on
        // the first write), then the first writer of each person signs in as that person, all at the same moment.
        await Promise.all(
          writers.map(async ({ person, n }) => {
            const identity =
              n % 2 === 0
                ? { identity_attributes: { contact_email: `person-${person}@example.com` } }
                : { traits: { external_id: `EXT-${person}` } };
            const created = await api.createProfile({ ...identity, traits: { ...(identity.traits ?? {}), interests: [`w${n}`], visits: 1 } });
            expectStatus(created, 201);
            if (n < people) expectStatus(await api.signIn(`user-${person}`, created.body.anonymous_profile_tracker), 200);
          }),
        );
        // The two identities of a person meet on one profile per person.
        const bridges = await Promise.all(
          Array.from({ length: people }, (_, person) =>
            api.createProfile({ identity_attributes: { contact_email: `person-${person}@example.com` }, traits: { external_id: `EXT-${person}` } }),
          ),
        );
        const head = Math.max(...bridges.map((b) => b.position ?? 0));
        const live = await liveProfiles(api, head);
        expect(live).toHaveLength(people);
        const byPerson = new Map(live.map((p) => [p.identity_attributes.contact_email, p]));
        for (let person = 0; person < people; person++) {
          const p = byPerson.get(`person-${person}@example.com`)!;
          expect(p).toBeDefined();
          expect(p.traits.visits).toBe(5);
          expect([...p.traits.interests].sort()).toEqual(writers.filter((w) => w.person === person).map((w) => `w${w.n}`).sort());
          expect(p.user_id).toBe(`user-${person}`);
        }
      },
    );
  });
});
