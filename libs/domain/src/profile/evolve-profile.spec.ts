import { Scope } from '../schema/attribute';
import { parseAttributeInput } from '../schema/attribute-input';
import { SchemaEvent } from '../schema/schema-events';
import { emptySchema, evolveSchema, SchemaState } from '../schema/schema-state';
import { parseAttributeWrites } from '../schema/value-validation';
import { deepFreeze } from '../decider/decider-specification';
import { decideProfile, ProfileCommand, ProfileMergedAwayError, snapshotOf } from './decide-profile';
import { evolveProfile, foldProfile } from './evolve-profile';
import { mergeRulesFor } from './merge-plan';
import { MergeReason, ProfileEvent } from './profile-events';
import { initialProfileState, ProfileState } from './profile-state';

const T = (minute: number) => `2026-06-05T10:${String(minute).padStart(2, '0')}:00.000Z`;
type Log = ProfileEvent[];

function schemaOf(...attributes: Array<[Scope, Record<string, unknown>]>): SchemaState {
  return attributes
    .map(([scope, input], i): SchemaEvent => ({ type: 'AttributeDefined', data: { definition: parseAttributeInput(scope, input, `attr-${i}`), at: T(0) } }))
    .reduce(evolveSchema, emptySchema);
}
const trait = (attribute_name: string, value_type: string, merge_strategy: string, more: Record<string, unknown> = {}): [Scope, Record<string, unknown>] => [
  'traits',
  { attribute_name, value_type, merge_strategy, ...more },
];

/** Logs are built through the decider, as the service builds them. */
const run = (log: Log, command: ProfileCommand): Log => [...log, ...decideProfile(command, foldProfile(log))];
const create = (id: string, at: string, tracking_consent = true): Log =>
  run([], { type: 'CreateProfile', profile_id: id, anonymous_profile_tracker: `tracker-${id}`, tracking_consent, at });
const patch = (schema: SchemaState, log: Log, body: unknown, at: string): Log =>
  run(log, { type: 'PatchAttributes', writes: parseAttributeWrites(schema, body), source: 'http', addressed_id: foldProfile(log).profile_id, at });
const stamp = (log: Log, user_id: string, at: string): Log => run(log, { type: 'StampUser', user_id, at });

/** The merge saga: close the merged profile, then the survivor absorbs it as it was. */
function merge(
  schema: SchemaState,
  survivorLog: Log,
  mergedLog: Log,
  { triggered_by, at, reason = { kind: 'user_id' } }: { triggered_by: 'survivor' | 'merged'; at: string; reason?: MergeReason },
): { survivor: Log; merged: Log } {
  const [survivor, merged] = [foldProfile(survivorLog), foldProfile(mergedLog)];
  const trigger = triggered_by === 'merged' ? merged : survivor;
  return {
    merged: run(mergedLog, { type: 'MergeAway', survivor_id: survivor.profile_id, reason, triggered_by, at }),
    survivor: run(survivorLog, {
      type: 'AbsorbProfile',
      merged: snapshotOf(merged),
      merged_revision: mergedLog.length - 1,
      reason,
      triggered_by,
      trigger_is_legitimate_interest: !trigger.tracking_consent,
      rules: mergeRulesFor(schema, survivor, merged),
      at,
    }),
  };
}

const activity = schemaOf(
  trait('visits', 'integer', 'sum'),
  trait('interests', 'string', 'combine', { multi_valued: true, max_values: 3 }),
  trait('last_page', 'string', 'overwrite'),
  trait('first_source', 'string', 'oldest'),
  ['identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }],
  ['identity_attributes', { attribute_name: 'phone', value_type: 'string', merge_strategy: 'overwrite' }],
  ['application_data', { attribute_name: 'cart', value_type: 'complex', multi_valued: true, merge_strategy: 'combine', application_identifier: 'shop-app' }],
);
const traitsAfter = (...bodies: unknown[]) =>
  foldProfile(bodies.reduce<Log>((log, body, i) => patch(activity, log, body, T(i + 1)), create('p-A', T(0)))).attributes.traits;

describe('evolveProfile / foldProfile', () => {
  describe('PATCH applies each strategy with existing = stored and incoming = written', () => {
    it('sum accumulates across patches', () => {
      expect(traitsAfter({ traits: { visits: 2 } }, { traits: { visits: 3 } })).toEqual({ visits: 5 });
    });

    it('combine accumulates distinct values, dropping the oldest past max_values', () => {
      expect(traitsAfter({ traits: { interests: ['shoes', 'hats'] } }, { traits: { interests: ['hats', 'bags'] } }).interests).toEqual(['shoes', 'hats', 'bags']);
      expect(
        traitsAfter({ traits: { interests: ['shoes', 'hats'] } }, { traits: { interests: ['hats', 'bags'] } }, { traits: { interests: ['socks'] } }).interests,
      ).toEqual(['hats', 'bags', 'socks']);
    });

    it('overwrite takes the latest non-empty value: "" keeps the old one', () => {
      expect(traitsAfter({ traits: { last_page: '/shoes' } }, { traits: { last_page: '' } }).last_page).toBe('/shoes');
      expect(traitsAfter({ traits: { last_page: '/shoes' } }, { traits: { last_page: '/hats' } }).last_page).toBe('/hats');
    });

    it('oldest keeps the first value written', () => {
      expect(traitsAfter({ traits: { first_source: 'ads' } }, { traits: { first_source: 'newsletter' } }).first_source).toBe('ads');
    });

    it('null clears the attribute whatever its strategy', () => {
      const cleared = traitsAfter(
        { traits: { visits: 5, interests: ['shoes'], last_page: '/shoes', first_source: 'ads' } },
        { traits: { visits: null, interests: null, last_page: null, first_source: null } },
      );
      expect(cleared).toEqual({});
      expect(traitsAfter({ traits: { visits: 5 } }, { traits: { visits: null } }, { traits: { visits: 1 } })).toEqual({ visits: 1 });
    });

    it('clearing the last attribute of an application leaves no empty application behind', () => {
      let log = patch(activity, create('p-A', T(0)), { application_data: { 'shop-app': { cart: [{ sku: 'S-1' }] } } }, T(1));
      expect(foldProfile(log).attributes.application_data).toEqual({ 'shop-app': { cart: [{ sku: 'S-1' }] } });
      log = patch(activity, log, { application_data: { 'shop-app': { cart: null } } }, T(2));
      expect(foldProfile(log).attributes.application_data).toEqual({});
    });

    it('applies the writes of one PATCH as if each were a PATCH of its own, in order', () => {
      const apps = schemaOf(
        ['application_data', { attribute_name: 'theme', value_type: 'string', merge_strategy: 'overwrite', application_identifier: 'app-a' }],
        ['application_data', { attribute_name: 'lang', value_type: 'string', merge_strategy: 'overwrite', application_identifier: 'app-a' }],
        ['application_data', { attribute_name: 'theme', value_type: 'string', merge_strategy: 'overwrite', application_identifier: 'app-b' }],
        trait('visits', 'integer', 'sum'),
        trait('interests', 'string', 'combine', { multi_valued: true }),
      );
      const start = patch(apps, create('p-A', T(0)), { application_data: { 'app-a': { theme: 'dark' }, 'app-b': { theme: 'light' } }, traits: { visits: 1 } }, T(1));
      // app-a loses its only value, then gets another: it comes back after app-b, as it would one write at a time.
      const bodies = [
        { application_data: { 'app-a': { theme: null } } },
        { traits: { visits: 2, interests: ['x', 'y', 'x'] } },
        { application_data: { 'app-a': { lang: 'fi' } } },
        { traits: { visits: null, interests: ['y', 'z'] } },
      ];
      const oneByOne = bodies.reduce<Log>((log, body) => patch(apps, log, body, T(2)), start);
      const writes = bodies.flatMap((body) => parseAttributeWrites(apps, body));
      const together = run(start, { type: 'PatchAttributes', writes, source: 'http', addressed_id: 'p-A', at: T(2) });
      expect(together).toHaveLength(start.length + 1);
      expect(JSON.stringify(foldProfile(together))).toBe(JSON.stringify(foldProfile(oneByOne)));
      expect(foldProfile(together).attributes).toEqual({
        identity_attributes: {},
        traits: { interests: ['x', 'y', 'z'] },
        application_data: { 'app-b': { theme: 'light' }, 'app-a': { lang: 'fi' } },
      });
      expect(Object.keys(foldProfile(together).attributes.application_data)).toEqual(['app-b', 'app-a']);
    });

    it('applies the strategy in force when each value was written, so replay is unaffected by later schema changes', () => {
      const before = patch(activity, patch(activity, create('p-A', T(0)), { traits: { visits: 2 } }, T(1)), { traits: { visits: 3 } }, T(2));
      const redefined = schemaOf(trait('visits', 'integer', 'overwrite'));
      const after = patch(redefined, before, { traits: { visits: 10 } }, T(3));
      expect(foldProfile(after.slice(0, before.length)).attributes.traits.visits).toBe(5);
      expect(foldProfile(after).attributes.traits.visits).toBe(10);
    });

    it('keeps the creation time and moves updated_at with each event', () => {
      const state = foldProfile(patch(activity, create('p-A', T(0)), { traits: { visits: 1 } }, T(7)));
      expect([state.created_at, state.updated_at]).toEqual([T(0), T(7)]);
    });
  });

  describe('seed 000: the same user on two devices', () => {
    function signInOnTwoDevices(interestsStrategy: 'combine' | 'overwrite'): ProfileState {
      const schema = schemaOf(
        trait('interests', 'string', interestsStrategy, { multi_valued: true }),
        trait('last_page', 'string', 'overwrite'),
        ['application_data', { attribute_name: 'cart', value_type: 'string', multi_valued: true, merge_strategy: 'combine', application_identifier: 'shop-app' }],
      );
      let deviceA = create('p-A', T(0));
      deviceA = patch(schema, deviceA, { traits: { interests: ['shoes'], last_page: '/shoes' }, application_data: { 'shop-app': { cart: ['S-1'] } } }, T(1));
      let deviceB = create('p-B', T(5));
      deviceB = patch(schema, deviceB, { traits: { interests: ['hats'], last_page: '/hats' }, application_data: { 'shop-app': { cart: ['H-1'] } } }, T(6));
      deviceA = stamp(deviceA, 'user-1', T(10));
      deviceB = stamp(deviceB, 'user-1', T(11));
      // Device A carried the user first, so it is the permanent profile; B's sign-in triggers the merge.
      return foldProfile(merge(schema, deviceA, deviceB, { triggered_by: 'merged', at: T(12) }).survivor);
    }

    it('with combine, the permanent profile holds the activity of both devices', () => {
      const profile = signInOnTwoDevices('combine');
      expect(profile.attributes).toEqual({
        identity_attributes: {},
        traits: { interests: ['shoes', 'hats'], last_page: '/hats' },
        application_data: { 'shop-app': { cart: ['S-1', 'H-1'] } },
      });
      expect(profile).toMatchObject({ profile_id: 'p-A', user_id: 'user-1', trackers: ['tracker-p-A', 'tracker-p-B'] });
    });

    it('with overwrite, only the device that triggered the merge keeps its value', () => {
      expect(signInOnTwoDevices('overwrite').attributes.traits.interests).toEqual(['hats']);
    });
  });

  describe('seed 001: anonymous visitor registers', () => {
    const anonymousVisit = () => patch(activity, create('p-P', T(5)), { traits: { interests: ['shoes'], visits: 3 } }, T(6));

    it('stamping the user keeps the anonymous activity and verifies the profile', () => {
      const profile = foldProfile(stamp(anonymousVisit(), 'user-2', T(7)));
      expect(profile).toMatchObject({ user_id: 'user-2', verified: true, attributes: { traits: { interests: ['shoes'], visits: 3 } } });
    });

    it('merging into the permanent profile keeps the anonymous activity, and the browser now reaches that profile', () => {
      let permanent = stamp(create('p-Q', T(0)), 'user-2', T(1));
      permanent = patch(activity, permanent, { traits: { visits: 1, interests: ['hats'] } }, T(2));
      const visitor = stamp(anonymousVisit(), 'user-2', T(10));

      const result = merge(activity, permanent, visitor, { triggered_by: 'merged', at: T(11) });
      const profile = foldProfile(result.survivor);
      expect(profile.attributes.traits).toEqual({ visits: 4, interests: ['hats', 'shoes'] });
      expect(profile.trackers).toContain('tracker-p-P');

      const later: ProfileCommand = {
        type: 'PatchAttributes',
        writes: parseAttributeWrites(activity, { traits: { visits: 1 } }),
        source: 'http',
        addressed_id: 'p-P',
        at: T(12),
      };
      expect(() => decideProfile(later, foldProfile(result.merged))).toThrow(ProfileMergedAwayError);
      expect(foldProfile(result.merged)).toMatchObject({ status: 'merged', merged_into: 'p-Q' });
    });
  });

  describe('the merge itself (SPEC §5)', () => {
    it('is verified when either side was', () => {
      const anonymous = () => create('p-B', T(5));
      const survivorVerified = merge(activity, stamp(create('p-A', T(0)), 'user-1', T(1)), anonymous(), { triggered_by: 'merged', at: T(9) });
      expect(foldProfile(survivorVerified.survivor).verified).toBe(true);

      const mergedVerified = merge(activity, create('p-A', T(0)), stamp(anonymous(), 'user-1', T(6)), { triggered_by: 'merged', at: T(9) });
      expect(foldProfile(mergedVerified.survivor)).toMatchObject({ verified: true, user_id: 'user-1' });

      const neither = merge(activity, create('p-A', T(0)), anonymous(), { triggered_by: 'merged', at: T(9) });
      expect(foldProfile(neither.survivor).verified).toBe(false);
    });

    it('adds counters of both profiles and keeps values only one side has', () => {
      const a = patch(activity, create('p-A', T(0)), { traits: { visits: 2 }, identity_attributes: { email: 'ada@example.com' } }, T(1));
      const b = patch(activity, create('p-B', T(2)), { traits: { visits: 3 }, identity_attributes: { phone: '+4712345678' } }, T(3));
      const profile = foldProfile(merge(activity, a, b, { triggered_by: 'merged', at: T(4), reason: { kind: 'rule', rule_name: 'email' } }).survivor);
      expect(profile.attributes.traits.visits).toBe(5);
      expect(profile.attributes.identity_attributes).toEqual({ email: 'ada@example.com', phone: '+4712345678' });
    });

    it('lets the survivor carry the trackers of the merged profile and of everything merged into it', () => {
      const c = create('p-C', T(1));
      const b = merge(activity, create('p-B', T(0)), c, { triggered_by: 'merged', at: T(5) }).survivor;
      const a = merge(activity, create('p-A', T(0)), b, { triggered_by: 'merged', at: T(6) }).survivor;
      expect(foldProfile(a).trackers).toEqual(['tracker-p-A', 'tracker-p-B', 'tracker-p-C']);
    });

    it('lists the merged profile in merged_from with reason and trigger, followed by what had merged into it', () => {
      const c = create('p-C', T(1));
      const b = merge(activity, create('p-B', T(0)), c, { triggered_by: 'merged', at: T(5), reason: { kind: 'rule', rule_name: 'email' } }).survivor;
      const a = merge(activity, create('p-A', T(0)), b, { triggered_by: 'survivor', at: T(6) }).survivor;
      expect(foldProfile(a).merged_from).toEqual([
        { profile_id: 'p-B', into: 'p-A', reason: { kind: 'user_id' }, triggered_by: 'survivor', merged_at: T(6) },
        { profile_id: 'p-C', into: 'p-B', reason: { kind: 'rule', rule_name: 'email' }, triggered_by: 'merged', merged_at: T(5) },
      ]);
    });

    describe('legitimate interest', () => {
      const full = () => patch(activity, create('p-F', T(0)), { identity_attributes: { email: 'full@example.com' } }, T(1));
      const triggering = (tracking_consent: boolean) =>
        patch(activity, create('p-L', T(5), tracking_consent), { identity_attributes: { email: 'form@example.com', phone: '+4712345678' } }, T(6));
      const mergedByEmailRule = (tracking_consent: boolean) =>
        foldProfile(
          merge(activity, full(), triggering(tracking_consent), {
            triggered_by: 'merged',
            at: T(7),
            reason: { kind: 'rule', rule_name: 'email' },
          }).survivor,
        );

      it('normally the triggering profile wins a conflict', () => {
        expect(mergedByEmailRule(true).attributes.identity_attributes.email).toBe('form@example.com');
      });

      it('a triggering profile kept on legitimate interest yields: the full profile wins, empty values are still filled', () => {
        expect(mergedByEmailRule(false).attributes.identity_attributes).toEqual({ email: 'full@example.com', phone: '+4712345678' });
      });
    });
  });

  it('delete erases attributes, user and everything merged in', () => {
    const a = patch(activity, stamp(create('p-A', T(0)), 'user-1', T(1)), { traits: { visits: 2 }, identity_attributes: { email: 'ada@example.com' } }, T(2));
    const merged = merge(activity, a, create('p-B', T(3)), { triggered_by: 'merged', at: T(4) }).survivor;
    const state = foldProfile(run(merged, { type: 'DeleteProfile', at: T(5) }));
    expect(state).toMatchObject({ status: 'deleted', profile_id: 'p-A', user_id: null, verified: false, trackers: [], merged_from: [] });
    expect(state.attributes).toEqual({ identity_attributes: {}, traits: {}, application_data: {} });
    expect(JSON.stringify(state)).not.toMatch(/ada@example\.com|user-1|tracker-p-B/);
  });

  describe('the fold is a pure function of the log', () => {
    const fullLog = (): Log => {
      const a = patch(activity, stamp(create('p-A', T(0)), 'user-1', T(1)), { traits: { visits: 2, interests: ['shoes'] } }, T(2));
      const b = patch(
        activity,
        create('p-B', T(3)),
        { traits: { visits: 3, interests: ['hats'] }, application_data: { 'shop-app': { cart: [{ sku: 'H-1' }] } } },
        T(4),
      );
      return patch(activity, merge(activity, a, b, { triggered_by: 'merged', at: T(5) }).survivor, { traits: { last_page: '/checkout' } }, T(6));
    };

    it('gives the same state byte for byte every time', () => {
      const log = fullLog();
      expect(JSON.stringify(foldProfile(log))).toBe(JSON.stringify(foldProfile(log)));
      expect(JSON.stringify(foldProfile(fullLog()))).toBe(JSON.stringify(foldProfile(log)));
    });

    it('gives the same state when resumed from a state part-way through', () => {
      const log = fullLog();
      for (let cut = 0; cut <= log.length; cut++) {
        expect(foldProfile(log.slice(cut), foldProfile(log.slice(0, cut)))).toEqual(foldProfile(log));
      }
    });

    it('never changes the events or the state it is given', () => {
      const log = deepFreeze(fullLog());
      const copy = structuredClone(log);
      let state = deepFreeze(initialProfileState());
      for (const event of log) state = deepFreeze(evolveProfile(state, event));
      expect(log).toEqual(copy);
      expect(state).toEqual(foldProfile(copy));
      expect(() => foldProfile(log, deepFreeze(foldProfile(log.slice(0, 3))))).not.toThrow();
    });
  });
});
