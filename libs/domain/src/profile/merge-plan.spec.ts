import { Scope } from '../schema/attribute';
import { parseAttributeInput } from '../schema/attribute-input';
import { SchemaEvent } from '../schema/schema-events';
import { emptySchema, evolveSchema } from '../schema/schema-state';
import { AttributeWrite } from '../schema/value-validation';
import { foldProfile } from './evolve-profile';
import { chooseSurvivor, mergeRulesFor } from './merge-plan';
import { ProfileEvent } from './profile-events';
import { ProfileState } from './profile-state';

const T = (minute: number) => `2026-06-05T10:${String(minute).padStart(2, '0')}:00.000Z`;

function profile(id: string, createdAt: string, { user_id, writes = [] }: { user_id?: string; writes?: AttributeWrite[] } = {}): ProfileState {
  const events: ProfileEvent[] = [
    { type: 'ProfileCreated', data: { profile_id: id, anonymous_profile_tracker: `tracker-${id}`, tracking_consent: true, at: createdAt } },
    { type: 'AttributePatched', data: { profile_id: id, writes, source: 'http', at: createdAt } },
  ];
  if (user_id) events.push({ type: 'UserStamped', data: { profile_id: id, user_id, at: createdAt } });
  return foldProfile(events);
}

describe('chooseSurvivor (SPEC §5: who survives a merge)', () => {
  const survivorOf = (a: ProfileState, b: ProfileState) => {
    const forward = chooseSurvivor(a, b);
    const backward = chooseSurvivor(b, a);
    // The choice must not depend on the order the two profiles are met in.
    expect(backward.survivor.profile_id).toBe(forward.survivor.profile_id);
    expect(forward.merged.profile_id).toBe(forward.survivor.profile_id === a.profile_id ? b.profile_id : a.profile_id);
    return forward.survivor.profile_id;
  };

  it('keeps the profile with a user_id when exactly one has one, even if it is younger', () => {
    expect(survivorOf(profile('p-old', T(0)), profile('p-young', T(9), { user_id: 'user-1' }))).toBe('p-young');
  });

  it('keeps the older profile when neither has a user_id', () => {
    expect(survivorOf(profile('p-b', T(0)), profile('p-a', T(9)))).toBe('p-b');
  });

  it('keeps the older profile when both have a user_id', () => {
    expect(survivorOf(profile('p-b', T(0), { user_id: 'user-1' }), profile('p-a', T(9), { user_id: 'user-1' }))).toBe('p-b');
  });

  it('breaks a tie of creation time by id, so every node picks the same', () => {
    expect(survivorOf(profile('p-2', T(3)), profile('p-1', T(3)))).toBe('p-1');
  });
});

describe('mergeRulesFor', () => {
  const schema = [
    ['traits', { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 20 }],
    ['traits', { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }],
    ['application_data', { attribute_name: 'cart', value_type: 'string', multi_valued: true, merge_strategy: 'combine', application_identifier: 'shop-app' }],
    ['identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'oldest' }],
  ]
    .map(([scope, input], i): SchemaEvent => ({ type: 'AttributeDefined', data: { definition: parseAttributeInput(scope as Scope, input, `attr-${i}`), at: T(0) } }))
    .reduce(evolveSchema, emptySchema);

  const w = (scope: Scope, attribute: string, value: AttributeWrite['value'], application_id?: string): AttributeWrite => ({
    scope,
    attribute,
    value,
    merge_strategy: 'overwrite',
    ...(application_id ? { application_id } : {}),
  });

  it('gives the current rule of every slot either profile holds', () => {
    const a = profile('p-a', T(0), { writes: [w('traits', 'interests', ['shoes']), w('traits', 'visits', 2)] });
    const b = profile('p-b', T(1), { writes: [w('application_data', 'cart', ['S-1'], 'shop-app'), w('identity_attributes', 'email', 'ada@example.com')] });
    expect(mergeRulesFor(schema, a, b)).toEqual({
      'traits.interests': { merge_strategy: 'combine', max_values: 20 },
      'traits.visits': { merge_strategy: 'sum', value_type: 'integer' },
      'application_data.shop-app.cart': { merge_strategy: 'combine', max_values: 1000 },
      'identity_attributes.email': { merge_strategy: 'oldest' },
    });
  });

  it('falls back to overwrite for a slot whose attribute is no longer defined', () => {
    const a = profile('p-a', T(0), { writes: [w('traits', 'retired', ['x']), w('application_data', 'cart', ['S-1'], 'blog-app')] });
    expect(mergeRulesFor(schema, a, profile('p-b', T(1)))).toEqual({
      'traits.retired': { merge_strategy: 'overwrite' },
      'application_data.blog-app.cart': { merge_strategy: 'overwrite' },
    });
  });

  it('has no rules for two empty profiles', () => {
    expect(mergeRulesFor(schema, profile('p-a', T(0)), profile('p-b', T(1)))).toEqual({});
  });
});
