import {
  DEFAULT_MAX_VALUES as DOMAIN_DEFAULT_MAX_VALUES,
  DomainError,
  MAX_VALUES_LIMIT as DOMAIN_MAX_VALUES_LIMIT,
  MERGE_STRATEGIES as DOMAIN_STRATEGIES,
  parseAttributeInput,
  Scope,
  SCOPES as DOMAIN_SCOPES,
  VALUE_TYPES as DOMAIN_VALUE_TYPES,
} from '@cds/domain';
import { normalizeHistory, pointOf } from '../src/api/history';
import { checkAttribute, DEFAULT_MAX_VALUES, fieldOf, MAX_VALUES_LIMIT, MERGE_STRATEGIES, SCOPES, VALUE_TYPES } from '../src/lib/attribute-rules';
import { moveTo } from '../src/lib/reorder';

/** What the API would answer about one definition: the details of its 400, or none. */
function apiDetails(scope: Scope, input: Record<string, unknown>) {
  try {
    parseAttributeInput(scope, input, '00000000-0000-4000-8000-000000000000');
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.details;
  }
}

describe('the console says what the API says about an attribute definition', () => {
  it('knows the same scopes, value types, merge strategies and limits', () => {
    expect(SCOPES).toEqual(DOMAIN_SCOPES);
    expect(VALUE_TYPES).toEqual(DOMAIN_VALUE_TYPES);
    expect(MERGE_STRATEGIES).toEqual(DOMAIN_STRATEGIES);
    expect(DEFAULT_MAX_VALUES).toBe(DOMAIN_DEFAULT_MAX_VALUES);
    expect(MAX_VALUES_LIMIT).toBe(DOMAIN_MAX_VALUES_LIMIT);
  });

  it('finds the same problems, in the same words, for every form the form can send', () => {
    const names = ['interests', 'traits.interests', 'identity_attributes.email', '1st', 'has space', 'constructor', ''];
    const types = [...DOMAIN_VALUE_TYPES, 'text'];
    const strategies = [...DOMAIN_STRATEGIES, 'newest'];
    const multis = [true, false, undefined];
    const maxes = [undefined, 5, 0, 2.5, 100_001];
    const apps = [undefined, 'shop_web', 'not an id'];
    let compared = 0;
    for (const scope of DOMAIN_SCOPES)
      for (const attribute_name of names)
        for (const value_type of types)
          for (const merge_strategy of strategies)
            for (const multi_valued of multis)
              for (const max_values of maxes)
                for (const application_identifier of apps) {
                  const input: Record<string, unknown> = { attribute_name, value_type, merge_strategy };
                  if (multi_valued !== undefined) input.multi_valued = multi_valued;
                  if (max_values !== undefined) input.max_values = max_values;
                  if (application_identifier !== undefined) input.application_identifier = application_identifier;
                  const expected = apiDetails(scope, input);
                  const actual = checkAttribute(scope, input);
                  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
                    throw new Error(`${scope} ${JSON.stringify(input)}:\n console ${JSON.stringify(actual)}\n api     ${JSON.stringify(expected)}`);
                  }
                  compared++;
                }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('says "combine requires multi_valued: true" like the API', () => {
    expect(checkAttribute('traits', { attribute_name: 'interests', value_type: 'string', merge_strategy: 'combine' })).toEqual([
      { field: 'merge_strategy', reason: 'combine requires multi_valued: true' },
    ]);
  });

  it('reads the field of a batch detail', () => {
    expect(fieldOf({ field: '[0].merge_strategy', reason: 'x' })).toBe('merge_strategy');
    expect(fieldOf({ field: 'attribute_name', reason: 'x' })).toBe('attribute_name');
    expect(fieldOf({ reason: 'x' })).toBe('');
  });
});

describe('profile history as the API answers it', () => {
  const A = '3f1e2d3c-4b5a-4968-8776-655443322110';
  const B = '0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3';

  it('reads events in log order with their position, time, type and profile', () => {
    const page = normalizeHistory({
      profile_id: A,
      profile_ids: [A, B],
      events: [
        { position: 3, profile_id: A, revision: 0, type: 'ProfileCreated', recorded_at: '2026-01-01T10:00:00.000Z', data: { profile_id: A, at: '2026-01-01T10:00:00.000Z' }, metadata: {} },
        { position: 7, profile_id: B, revision: 2, type: 'ProfileMergedAway', recorded_at: '2026-01-01T10:05:00.000Z', data: { profile_id: B, survivor_id: A }, metadata: {} },
      ],
      next_cursor: '7',
    });
    expect(page.nextCursor).toBe('7');
    expect(page.events.map((e) => [e.key, e.position, e.at, e.type, e.profileId])).toEqual([
      ['p3', 3, '2026-01-01T10:00:00.000Z', 'ProfileCreated', A],
      ['p7', 7, '2026-01-01T10:05:00.000Z', 'ProfileMergedAway', B],
    ]);
    expect(pointOf(page.events[1])).toBe('7');
  });

  it('has no next page when the cursor is null, and falls back to the event time and stream', () => {
    const page = normalizeHistory({ events: [{ type: 'UserStamped', stream: `profile-acme.${B}`, data: { at: '2026-01-02T00:00:00Z' } }], next_cursor: null });
    expect(page.nextCursor).toBeUndefined();
    expect(page.events[0]).toMatchObject({ position: null, at: '2026-01-02T00:00:00Z', profileId: B, key: 'i0' });
    expect(pointOf(page.events[0])).toBe('2026-01-02T00:00:00Z');
  });
});

describe('reordering rules', () => {
  it('moves one rule to a place, clamped to the list', () => {
    expect(moveTo(['a', 'b', 'c'], 'c', 0)).toEqual(['c', 'a', 'b']);
    expect(moveTo(['a', 'b', 'c'], 'a', 1)).toEqual(['b', 'a', 'c']);
    expect(moveTo(['a', 'b', 'c'], 'a', 99)).toEqual(['b', 'c', 'a']);
    expect(moveTo(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c']);
  });
});
