import { AttributeWrite } from '../schema/value-validation';
import { snapshotOf } from './decide-profile';
import { foldProfile } from './evolve-profile';
import { ProfileEvent } from './profile-events';
import { profileLocation, toUnifiedProfile } from './unified-profile';

const T = (minute: number) => `2026-06-05T10:${String(minute).padStart(2, '0')}:00.000Z`;
const created = (id: string, at: string): ProfileEvent => ({
  type: 'ProfileCreated',
  data: { profile_id: id, anonymous_profile_tracker: `tracker-${id}`, tracking_consent: true, at },
});
const write = (scope: AttributeWrite['scope'], attribute: string, value: AttributeWrite['value'], application_id?: string): AttributeWrite => ({
  scope,
  attribute,
  value,
  merge_strategy: 'overwrite',
  ...(application_id ? { application_id } : {}),
});
const absorbed = (survivor: string, mergedLog: ProfileEvent[], reason: { kind: 'user_id' } | { kind: 'rule'; rule_name: string }, at: string): ProfileEvent => ({
  type: 'ProfilesMerged',
  data: {
    survivor_id: survivor,
    merged_profile_id: foldProfile(mergedLog).profile_id,
    reason,
    triggered_by: 'merged',
    incoming: 'merged',
    merged_revision: mergedLog.length - 1,
    merged: snapshotOf(foldProfile(mergedLog)),
    rules: {},
    at,
  },
});

describe('toUnifiedProfile (SPEC §6: GET /profiles/{id})', () => {
  it('shows an anonymous profile with exactly the documented fields', () => {
    const view = toUnifiedProfile('acme', foldProfile([created('p-A', T(0))]));
    expect(view).toEqual({
      profile_id: 'p-A',
      user_id: null,
      anonymous_profile_tracker: 'tracker-p-A',
      verified: false,
      meta: { created_at: T(0), updated_at: T(0), location: 'acme/cds/api/v1/profiles/p-A' },
      identity_attributes: {},
      traits: {},
      application_data: {},
      merged_from: [],
    });
  });

  it('shows attributes by scope, the user and the last update', () => {
    const view = toUnifiedProfile(
      'acme',
      foldProfile([
        created('p-A', T(0)),
        {
          type: 'AttributePatched',
          data: {
            profile_id: 'p-A',
            writes: [
              write('identity_attributes', 'email', 'ada@example.com'),
              write('traits', 'plan', 'gold'),
              write('application_data', 'theme', 'dark', 'shop-app'),
            ],
            source: 'kafka',
            at: T(1),
          },
        },
        { type: 'UserStamped', data: { profile_id: 'p-A', user_id: 'user-1', at: T(2) } },
      ]),
    );
    expect(view).toMatchObject({
      user_id: 'user-1',
      verified: true,
      meta: { created_at: T(0), updated_at: T(2) },
      identity_attributes: { email: 'ada@example.com' },
      traits: { plan: 'gold' },
      application_data: { 'shop-app': { theme: 'dark' } },
    });
  });

  it('lists merged profiles with a flat reason, and the rule name only for rule merges', () => {
    const c = [created('p-C', T(1))];
    const b = [created('p-B', T(0)), absorbed('p-B', c, { kind: 'rule', rule_name: 'email' }, T(3))];
    const a = [created('p-A', T(0)), absorbed('p-A', b, { kind: 'user_id' }, T(4))];
    expect(toUnifiedProfile('acme', foldProfile(a)).merged_from).toEqual([
      { profile_id: 'p-B', merged_into: 'p-A', reason: 'user_id', triggered_by: 'merged', merged_at: T(4) },
      { profile_id: 'p-C', merged_into: 'p-B', reason: 'rule', rule_name: 'email', triggered_by: 'merged', merged_at: T(3) },
    ]);
  });

  it('places the location under the tenant', () => {
    expect(profileLocation('globex', 'p-9')).toBe('globex/cds/api/v1/profiles/p-9');
    expect(toUnifiedProfile('globex', foldProfile([created('p-9', T(0))])).meta.location).toBe(profileLocation('globex', 'p-9'));
  });
});
