import { JsonValue } from '../shared/json';
import { DEFAULT_MAX_VALUES, mergeValues, MergeStrategy } from './merge-strategy';

const merge = (strategy: MergeStrategy, existing: JsonValue | undefined, incoming: JsonValue | undefined, max_values?: number) =>
  mergeValues({ merge_strategy: strategy, ...(max_values !== undefined ? { max_values } : {}) }, existing, incoming);

describe('merge strategies (SPEC §3: merge(existing, incoming))', () => {
  describe('combine', () => {
    it('keeps every value of both sides, existing values first', () => {
      expect(merge('combine', ['shoes', 'hats'], ['bags'])).toEqual(['shoes', 'hats', 'bags']);
    });

    it('drops values that are already there, keeping their first position', () => {
      expect(merge('combine', ['shoes', 'hats'], ['hats', 'bags', 'shoes'])).toEqual(['shoes', 'hats', 'bags']);
    });

    it('drops duplicates within the incoming values too', () => {
      expect(merge('combine', [], ['a', 'a', 'b'])).toEqual(['a', 'b']);
    });

    it('treats objects with the same content as duplicates whatever their key order', () => {
      const existing: JsonValue = [{ sku: 'A-1', qty: 2, tags: { colour: 'red', size: 'M' } }];
      const incoming: JsonValue = [{ tags: { size: 'M', colour: 'red' }, qty: 2, sku: 'A-1' }, { sku: 'B-2', qty: 1 }];
      expect(merge('combine', existing, incoming)).toEqual([
        { sku: 'A-1', qty: 2, tags: { colour: 'red', size: 'M' } },
        { sku: 'B-2', qty: 1 },
      ]);
    });

    it('keeps objects that differ only in a nested value or in array order', () => {
      expect(merge('combine', [{ a: [1, 2] }], [{ a: [2, 1] }, { a: [1, 2, 3] }])).toEqual([
        { a: [1, 2] },
        { a: [2, 1] },
        { a: [1, 2, 3] },
      ]);
    });

    it('does not mistake a number for the string that spells it', () => {
      expect(merge('combine', [1, true], ['1', 'true', 1])).toEqual([1, true, '1', 'true']);
    });

    it('takes the other side whole when one side is empty', () => {
      expect(merge('combine', undefined, ['a'])).toEqual(['a']);
      expect(merge('combine', ['a'], null)).toEqual(['a']);
      expect(merge('combine', [], ['a'])).toEqual(['a']);
    });
  });

  describe('overwrite', () => {
    it('takes the incoming value', () => {
      expect(merge('overwrite', '/shoes', '/hats')).toBe('/hats');
      expect(merge('overwrite', ['a', 'b'], ['c'])).toEqual(['c']);
    });

    it('keeps the existing value when the incoming one is empty', () => {
      for (const empty of [null, undefined, '', []]) expect(merge('overwrite', 'kept', empty)).toBe('kept');
    });

    it('treats 0 and false as values, not as empty', () => {
      expect(merge('overwrite', 5, 0)).toBe(0);
      expect(merge('overwrite', true, false)).toBe(false);
    });
  });

  describe('oldest', () => {
    it('keeps the first value ever seen', () => {
      expect(merge('oldest', 'first', 'second')).toBe('first');
    });

    it('takes the incoming value when the existing one is empty', () => {
      for (const empty of [null, undefined, '', []]) expect(merge('oldest', empty, 'first')).toBe('first');
    });

    it('keeps an existing 0 or false', () => {
      expect(merge('oldest', 0, 7)).toBe(0);
      expect(merge('oldest', false, true)).toBe(false);
    });
  });

  describe('sum', () => {
    it('adds the two numbers', () => {
      expect(merge('sum', 3, 4)).toBe(7);
      expect(merge('sum', 1.5, 0.25)).toBe(1.75);
      expect(merge('sum', 10, -3)).toBe(7);
    });

    it('takes the non-empty side when the other side is empty', () => {
      expect(merge('sum', undefined, 4)).toBe(4);
      expect(merge('sum', 3, null)).toBe(3);
      expect(merge('sum', '', 4)).toBe(4);
    });

    it('keeps a total of 0 rather than treating it as empty', () => {
      expect(merge('sum', 2, -2)).toBe(0);
    });

    it('refuses to add non-numbers instead of concatenating them', () => {
      expect(() => merge('sum', 'a', 'b')).toThrow(/non-numeric/);
    });
  });

  describe('max_values cap for multi-valued attributes', () => {
    it('drops the oldest values first when the union grows past the cap', () => {
      expect(merge('combine', ['p1', 'p2', 'p3'], ['p4', 'p5'], 3)).toEqual(['p3', 'p4', 'p5']);
    });

    it('counts values after dropping duplicates', () => {
      expect(merge('combine', ['a', 'b'], ['b', 'c'], 3)).toEqual(['a', 'b', 'c']);
    });

    it('caps an incoming list that is longer than the cap on its own', () => {
      expect(merge('combine', undefined, [1, 2, 3, 4, 5], 2)).toEqual([4, 5]);
      expect(merge('overwrite', ['old'], [1, 2, 3], 2)).toEqual([2, 3]);
    });

    it('leaves lists alone when the rule has no cap (single-valued rules carry none)', () => {
      const many = Array.from({ length: 1500 }, (_, i) => i);
      expect(merge('combine', many, [1500])).toHaveLength(1501);
    });

    it('keeps exactly the default number of values at the default cap', () => {
      const many = Array.from({ length: DEFAULT_MAX_VALUES }, (_, i) => i);
      const merged = merge('combine', many, ['newest'], DEFAULT_MAX_VALUES) as JsonValue[];
      expect(merged).toHaveLength(DEFAULT_MAX_VALUES);
      expect(merged[0]).toBe(1);
      expect(merged[merged.length - 1]).toBe('newest');
    });
  });

  describe('empty results come back as undefined (the attribute is absent)', () => {
    const emptyPairs: Array<[JsonValue | undefined, JsonValue | undefined]> = [
      [undefined, undefined],
      [null, ''],
      ['', []],
      [[], null],
    ];
    it.each(['combine', 'overwrite', 'oldest', 'sum'] as MergeStrategy[])('%s of two empty values', (strategy) => {
      for (const [existing, incoming] of emptyPairs) expect(merge(strategy, existing, incoming)).toBeUndefined();
    });
  });

  describe('table', () => {
    it.each<[MergeStrategy, JsonValue | undefined, JsonValue | undefined, JsonValue | undefined]>([
      ['combine', ['a'], ['b'], ['a', 'b']],
      ['combine', ['a', 'b'], ['a'], ['a', 'b']],
      ['combine', null, ['b'], ['b']],
      ['combine', ['a'], [], ['a']],
      ['overwrite', 'a', 'b', 'b'],
      ['overwrite', 'a', '', 'a'],
      ['overwrite', 'a', null, 'a'],
      ['overwrite', undefined, 'b', 'b'],
      ['overwrite', ['a'], [], ['a']],
      ['oldest', 'a', 'b', 'a'],
      ['oldest', '', 'b', 'b'],
      ['oldest', null, 'b', 'b'],
      ['oldest', [], ['b'], ['b']],
      ['oldest', 'a', undefined, 'a'],
      ['sum', 2, 3, 5],
      ['sum', undefined, 3, 3],
      ['sum', 2, undefined, 2],
      ['sum', 0.1, 0.2, 0.1 + 0.2],
    ])('%s(%j, %j) = %j', (strategy, existing, incoming, expected) => {
      expect(merge(strategy, existing, incoming)).toEqual(expected);
    });
  });
});
