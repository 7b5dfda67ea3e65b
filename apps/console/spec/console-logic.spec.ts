import { fieldOf, checkAttribute } from '../src/lib/attribute-rules';
import { HistoryItem, keyOf, pointOf } from '../src/api/history';
import { moveTo } from '../src/lib/reorder';

describe('the console checks an attribute definition with the API contract', () => {
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

  it('asks for the profile as of an item by its log position, and keys items by it', () => {
    const item: HistoryItem = {
      version: 1,
      type: 'user_id_stamped',
      user_id: 'user-42',
      position: 7,
      profile_id: A,
      revision: 2,
      recorded_at: '2026-01-01T10:05:00.000Z',
      at: '2026-01-01T10:05:00.000Z',
    };
    expect(pointOf(item)).toBe('7');
    expect(keyOf(item)).toBe('p7');
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
