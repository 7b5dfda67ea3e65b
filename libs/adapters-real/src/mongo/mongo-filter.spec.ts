import { compileFilters } from '@cds/application';
import { ProfileFilter } from '@cds/application';
import { escapeRegex, mongoConditionOf } from './mongo-filter';

const condition = (filter: ProfileFilter) => mongoConditionOf(compileFilters([filter])[0]);

describe('escapeRegex', () => {
  it.each(['a.b*c+d?', '(x)|[y]{1,2}', '^start$end', 'back\\slash\\d', 'a/b-c#d', 'plain text', 'ünï ✓'])(
    'makes %j match only itself',
    (text) => {
      const pattern = new RegExp(`^${escapeRegex(text)}$`);
      expect(pattern.test(text)).toBe(true);
      expect(pattern.test(`${text}x`)).toBe(false);
    },
  );

  it('escapes NUL, which a MongoDB regex cannot hold', () => {
    expect(escapeRegex('a\u0000b')).toBe('a\\x00b');
  });
});

describe('mongoConditionOf', () => {
  it('maps paths into the stored state', () => {
    expect(condition({ path: 'traits.age', operator: 'eq', value: 34 })).toEqual({ 'state.attributes.traits.age': 34 });
    expect(condition({ path: 'user_id', operator: 'eq', value: 'u' })).toEqual({ 'state.user_id': 'u' });
    expect(condition({ path: 'application_data.shop-web.x', operator: 'eq', value: null })).toEqual({
      'state.attributes.application_data.shop-web.x': null,
    });
  });

  it('anchors sw and escapes co and sw values', () => {
    expect(condition({ path: 'identity_attributes.email', operator: 'sw', value: 'a.b' })).toEqual({
      'state.attributes.identity_attributes.email': { $regex: '^a\\.b' },
    });
    expect(condition({ path: 'traits.t', operator: 'co', value: '(x)' })).toEqual({ 'state.attributes.traits.t': { $regex: '\\(x\\)' } });
  });

  it('leaves object and array equality to the shared predicate, and short-cuts non-string co/sw', () => {
    expect(condition({ path: 'traits.address', operator: 'eq', value: { city: 'Berlin' } })).toBeUndefined();
    expect(condition({ path: 'traits.tags', operator: 'eq', value: ['a'] })).toBeUndefined();
    expect(condition({ path: 'traits.age', operator: 'co', value: 3 })).toBe(false);
  });
});
