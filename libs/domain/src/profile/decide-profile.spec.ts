import { AttributeWrite } from '../schema/value-validation';
import { DeciderSpecification } from '../decider/decider-specification';
import { decideProfile, ProfileCommand, profileDecider, ProfileMergedAwayError, snapshotOf } from './decide-profile';
import { foldProfile } from './evolve-profile';
import { ProfileEvent, ProfilesMerged } from './profile-events';

const given = DeciderSpecification.for(profileDecider);
const T = (minute: number) => `2026-06-05T10:${String(minute).padStart(2, '0')}:00.000Z`;

const created = (profile_id: string, at = T(0), tracking_consent = true): ProfileEvent => ({
  type: 'ProfileCreated',
  data: { profile_id, anonymous_profile_tracker: `tracker-${profile_id}`, tracking_consent, at },
});
const visits = (value: number | null): AttributeWrite => ({ scope: 'traits', attribute: 'visits', value, merge_strategy: 'sum', value_type: 'integer' });
const revenue = (value: number | null): AttributeWrite => ({ scope: 'traits', attribute: 'revenue', value, merge_strategy: 'sum', value_type: 'decimal' });
const patched = (profile_id: string, writes: AttributeWrite[], at = T(1)): ProfileEvent => ({
  type: 'AttributePatched',
  data: { profile_id, writes, source: 'http', at },
});
const stamped = (profile_id: string, user_id: string, at = T(2)): ProfileEvent => ({ type: 'UserStamped', data: { profile_id, user_id, at } });
const mergedAway = (profile_id: string, survivor_id: string, at = T(20)): ProfileEvent => ({
  type: 'ProfileMergedAway',
  data: { profile_id, survivor_id, reason: { kind: 'user_id' }, triggered_by: 'merged', at },
});
const deleted = (profile_id: string, at = T(40)): ProfileEvent => ({ type: 'ProfileDeleted', data: { profile_id, at } });

const patch = (writes: AttributeWrite[], idempotency_key?: string, addressed_id = 'p-A'): ProfileCommand => ({
  type: 'PatchAttributes',
  writes,
  source: 'kafka',
  addressed_id,
  ...(idempotency_key !== undefined ? { idempotency: { idempotency_key, request_fingerprint: `fp-${idempotency_key}` } } : {}),
  at: T(5),
});
const stamp = (user_id: string): ProfileCommand => ({ type: 'StampUser', user_id, at: T(6) });

type Absorb = Extract<ProfileCommand, { type: 'AbsorbProfile' }>;
/** The survivor absorbs the profile whose log is given, as it is at the end of that log. */
const absorb = (mergedLog: ProfileEvent[], overrides: Partial<Absorb> = {}): Absorb => ({
  type: 'AbsorbProfile',
  merged: snapshotOf(foldProfile(mergedLog)),
  merged_revision: mergedLog.length - 1,
  reason: { kind: 'user_id' },
  triggered_by: 'merged',
  trigger_is_legitimate_interest: false,
  rules: { 'traits.visits': { merge_strategy: 'sum', value_type: 'integer' } },
  at: T(30),
  ...overrides,
});

const A = [created('p-A'), patched('p-A', [visits(2)])];
const B = [created('p-B', T(3)), patched('p-B', [visits(3)], T(4))];

describe('decideProfile (given / when / then)', () => {
  describe('CreateProfile', () => {
    const create: ProfileCommand = { type: 'CreateProfile', profile_id: 'p-A', anonymous_profile_tracker: 'tracker-p-A', tracking_consent: true, at: T(0) };

    it('creates a temporary profile that does not exist yet', () => {
      given([]).when(create).then([created('p-A')]);
    });

    it('writes the attributes the create request carried in the same append', () => {
      given([])
        .when({ ...create, initial_writes: [visits(4)] })
        .then([created('p-A'), { type: 'AttributePatched', data: { profile_id: 'p-A', writes: [visits(4)], source: 'http', at: T(0) } }]);
      given([]).when({ ...create, initial_writes: [] }).then([created('p-A')]);
    });

    it('records a profile kept without tracking consent', () => {
      given([]).when({ ...create, tracking_consent: false }).then([created('p-A', T(0), false)]);
    });

    it.each([
      ['live', A],
      ['merged away', [...A, mergedAway('p-A', 'p-Z')]],
      ['deleted', [...A, deleted('p-A')]],
    ])('refuses to create a profile that is %s', (_label, history) => {
      expect(given(history).when(create).thenThrows('profile_exists').kind).toBe('conflict');
    });
  });

  describe('PatchAttributes', () => {
    it('records the writes, their source, the idempotency key and what the keyed request said', () => {
      given(A)
        .when(patch([visits(1)], 'key-1'))
        .then([
          {
            type: 'AttributePatched',
            data: { profile_id: 'p-A', writes: [visits(1)], source: 'kafka', idempotency_key: 'key-1', request_fingerprint: 'fp-key-1', at: T(5) },
          },
        ]);
    });

    it('records the profile the caller addressed when it is one merged into this one', () => {
      given(A)
        .when(patch([visits(1)], undefined, 'p-B'))
        .then([{ type: 'AttributePatched', data: { profile_id: 'p-A', addressed_id: 'p-B', writes: [visits(1)], source: 'kafka', at: T(5) } }]);
    });

    it('refuses a sum that would leave the safe integers, naming the attribute, and appends nothing', () => {
      const big = [created('p-A'), patched('p-A', [visits(Number.MAX_SAFE_INTEGER)])];
      const error = given(big).when(patch([visits(1)])).thenThrows('value_out_of_range');
      expect(error.kind).toBe('validation');
      expect(error.details).toEqual([{ field: 'traits.visits', reason: expect.stringContaining('safe integers') }]);
      given(big).when(patch([visits(-1)])).then([{ type: 'AttributePatched', data: { profile_id: 'p-A', writes: [visits(-1)], source: 'kafka', at: T(5) } }]);
    });

    it('refuses a decimal sum that would stop being a finite number', () => {
      const big = [created('p-A'), patched('p-A', [revenue(1e308)])];
      given(big).when(patch([revenue(1e308)])).thenThrows('value_out_of_range');
      given(big).when(patch([revenue(1e307)])).then([{ type: 'AttributePatched', data: { profile_id: 'p-A', writes: [revenue(1e307)], source: 'kafka', at: T(5) } }]);
    });

    it('leaves the idempotency key out when the caller gave none', () => {
      given(A)
        .when(patch([visits(1)]))
        .then([{ type: 'AttributePatched', data: { profile_id: 'p-A', writes: [visits(1)], source: 'kafka', at: T(5) } }]);
    });

    it('appends nothing for an empty patch', () => {
      given(A).when(patch([])).then([]);
    });

    it('answers not found for a profile that does not exist', () => {
      expect(given([]).when(patch([visits(1)])).thenThrows('profile_not_found').kind).toBe('not_found');
    });

    it('answers not found for a deleted profile', () => {
      given([...A, deleted('p-A')]).when(patch([visits(1)])).thenThrows('profile_not_found');
    });

    it('sends a write on a merged-away profile to its survivor', () => {
      const error = given([...A, mergedAway('p-A', 'p-Z')]).when(patch([visits(1)])).thenThrows('profile_merged');
      expect(error).toBeInstanceOf(ProfileMergedAwayError);
      expect(error).toMatchObject({ profileId: 'p-A', survivorId: 'p-Z', kind: 'conflict' });
    });
  });

  describe('StampUser', () => {
    it('stamps the user on an anonymous profile', () => {
      given(A).when(stamp('user-1')).then([{ type: 'UserStamped', data: { profile_id: 'p-A', user_id: 'user-1', at: T(6) } }]);
    });

    it('appends nothing when the same user signs in again', () => {
      given([...A, stamped('p-A', 'user-1')]).when(stamp('user-1')).then([]);
    });

    it('refuses another user', () => {
      const error = given([...A, stamped('p-A', 'user-1')]).when(stamp('user-2')).thenThrows('profile_has_other_user');
      expect(error.kind).toBe('conflict');
    });

    it('reaches the survivor when the profile merged away', () => {
      given([...A, mergedAway('p-A', 'p-Z')]).when(stamp('user-1')).thenThrows('profile_merged');
    });
  });

  describe('MergeAway', () => {
    const mergeAway = (survivor_id: string): ProfileCommand => ({
      type: 'MergeAway',
      survivor_id,
      reason: { kind: 'rule', rule_name: 'email' },
      triggered_by: 'survivor',
      at: T(20),
    });

    it('closes the profile in favour of its survivor', () => {
      given(A)
        .when(mergeAway('p-Z'))
        .then([
          {
            type: 'ProfileMergedAway',
            data: { profile_id: 'p-A', survivor_id: 'p-Z', reason: { kind: 'rule', rule_name: 'email' }, triggered_by: 'survivor', at: T(20) },
          },
        ]);
    });

    it('refuses to merge a profile into itself', () => {
      given(A).when(mergeAway('p-A')).thenThrows('merge_into_self');
    });

    it('refuses a profile that merged away already, naming where it went', () => {
      const error = given([...A, mergedAway('p-A', 'p-Z')]).when(mergeAway('p-Y')).thenThrows('profile_merged');
      expect((error as ProfileMergedAwayError).survivorId).toBe('p-Z');
    });
  });

  describe('AbsorbProfile', () => {
    const mergedEvent = (overrides: Partial<ProfilesMerged['data']> = {}): ProfileEvent => ({
      type: 'ProfilesMerged',
      data: {
        survivor_id: 'p-A',
        merged_profile_id: 'p-B',
        reason: { kind: 'user_id' },
        triggered_by: 'merged',
        incoming: 'merged',
        merged_revision: 1,
        merged: snapshotOf(foldProfile(B)),
        rules: { 'traits.visits': { merge_strategy: 'sum', value_type: 'integer' } },
        at: T(30),
        ...overrides,
      },
    });

    it('records survivor, merged profile, reason, trigger, the merged revision and the snapshot folded in', () => {
      given(A).when(absorb(B)).then([mergedEvent()]);
    });

    it('records a unification rule as the reason', () => {
      const reason = { kind: 'rule', rule_name: 'email' } as const;
      given(A).when(absorb(B, { reason })).then([mergedEvent({ reason })]);
    });

    it('plays the triggering side as incoming', () => {
      given(A).when(absorb(B, { triggered_by: 'survivor' })).then([mergedEvent({ triggered_by: 'survivor', incoming: 'survivor' })]);
    });

    it.each([
      ['merged', 'survivor'],
      ['survivor', 'merged'],
    ] as const)('reverses the roles when the trigger (%s) was kept on legitimate interest', (triggered_by, incoming) => {
      given(A)
        .when(absorb(B, { triggered_by, trigger_is_legitimate_interest: true }))
        .then([mergedEvent({ triggered_by, incoming })]);
    });

    it('appends nothing when the profile was absorbed already, so a sum is not counted twice', () => {
      const afterFirstMerge = [...A, mergedEvent()];
      const completedAgain = given(afterFirstMerge).when(absorb(B, { at: T(35) })).then([]);
      expect(foldProfile([...afterFirstMerge, ...completedAgain]).attributes.traits.visits).toBe(2 + 3);
    });

    it('appends nothing for a profile that came in earlier through another merged profile', () => {
      const C = [created('p-C', T(1)), patched('p-C', [visits(7)])];
      const bWithC = [...B, ...decideProfile({ ...absorb(C), at: T(10) }, foldProfile(B))];
      const aWithB = [...A, ...decideProfile(absorb(bWithC), foldProfile(A))];
      given(aWithB).when(absorb(C)).then([]);
    });

    it('refuses to absorb a profile of a different user', () => {
      const error = given([...A, stamped('p-A', 'user-1')])
        .when(absorb([...B, stamped('p-B', 'user-2')]))
        .thenThrows('different_users');
      expect(error.kind).toBe('conflict');
    });

    it.each([
      ['both carry the same user', 'user-1', 'user-1'],
      ['only the survivor has a user', 'user-1', null],
      ['only the merged profile has a user', null, 'user-1'],
    ])('absorbs when %s', (_label, survivorUser, mergedUser) => {
      const survivorLog = survivorUser ? [...A, stamped('p-A', survivorUser)] : A;
      const mergedLog = mergedUser ? [...B, stamped('p-B', mergedUser)] : B;
      given(survivorLog)
        .when(absorb(mergedLog))
        .then([mergedEvent({ merged_revision: mergedLog.length - 1, merged: snapshotOf(foldProfile(mergedLog)) })]);
    });

    it('saturates counters that add up beyond their bound, and says which did', () => {
      const nearTop = [created('p-A'), patched('p-A', [visits(Number.MAX_SAFE_INTEGER - 1)])];
      const events = given(nearTop).when(absorb(B)).then([mergedEvent({ saturated: ['traits.visits'] })]);
      expect(foldProfile([...nearTop, ...events]).attributes.traits.visits).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('refuses to absorb itself', () => {
      given(A).when(absorb(A)).thenThrows('merge_into_self');
    });

    it('sends the absorb to the survivor when the would-be survivor merged away', () => {
      given([...A, mergedAway('p-A', 'p-Z')]).when(absorb(B)).thenThrows('profile_merged');
    });
  });

  describe('DeleteProfile', () => {
    const del: ProfileCommand = { type: 'DeleteProfile', at: T(40) };

    it('erases a live profile', () => {
      given([...A, stamped('p-A', 'user-1')]).when(del).then([deleted('p-A')]);
    });

    it('answers not found for a profile deleted already', () => {
      given([...A, deleted('p-A')]).when(del).thenThrows('profile_not_found');
    });
  });
});
