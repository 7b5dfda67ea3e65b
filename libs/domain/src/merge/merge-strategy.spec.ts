import { canonicalJson, isEmpty, JsonValue } from '../shared/json';
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

  describe('laws, on random values', () => {
    /** A small deterministic generator (mulberry32), so a failure names values that can be replayed. */
    function randomSource(seed: number) {
      let state = seed;
      const next = () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const below = (n: number) => Math.floor(next() * n);
      // Few distinct values, so lists repeat themselves; numbers that look like strings; objects in any key order.
      const value = (): JsonValue => {
        switch (below(7)) {
          case 0:
            return below(6);
          case 1:
            return String(below(6));
          case 2:
            return below(2) === 0;
          case 3:
            return null;
          case 4:
            return below(2) === 0 ? { a: below(3), b: [below(2)] } : { b: [below(2)], a: below(3) };
          case 5:
            return [below(3), String(below(2))];
          default:
            return `v${below(40)}`;
        }
      };
      // Lengths on both sides of where combine stops scanning and starts hashing.
      const list = (): JsonValue[] => Array.from({ length: below(3) === 0 ? below(60) : below(8) }, value);
      return { list };
    }

    /** What combine promises, written the obvious way: first occurrences by JSON value, existing first. */
    function orderedUnion(...sides: Array<JsonValue | undefined>): JsonValue[] | undefined {
      const seen = new Set<string>();
      const out: JsonValue[] = [];
      for (const side of sides) {
        if (isEmpty(side)) continue;
        for (const item of Array.isArray(side) ? side : [side as JsonValue]) {
          const key = typeof item === 'object' && item !== null ? `j:${canonicalJson(item)}` : `${typeof item}:${String(item)}`;
          if (!seen.has(key)) out.push(item);
          seen.add(key);
        }
      }
      return out.length === 0 ? undefined : out;
    }

    const cases = Array.from({ length: 300 }, (_, i) => {
      const random = randomSource(i + 1);
      return [random.list(), random.list(), random.list()] as const;
    });

    it('combine is the ordered union by JSON value, however long the lists', () => {
      for (const [a, b] of cases) expect(merge('combine', a, b)).toEqual(orderedUnion(a, b));
    });

    it('combine is associative, and an empty side changes nothing but duplicates', () => {
      for (const [a, b, c] of cases) {
        expect(merge('combine', merge('combine', a, b), c)).toEqual(merge('combine', a, merge('combine', b, c)));
        for (const empty of [undefined, null, '', []]) {
          expect(merge('combine', a, empty)).toEqual(orderedUnion(a));
          expect(merge('combine', empty, a)).toEqual(orderedUnion(a));
        }
      }
    });

    it('sum is associative on integers, and empty is its identity', () => {
      for (const [a, b, c] of cases) {
        const [x, y, z] = [a.length - 30, b.length * 7, -c.length];
        expect(merge('sum', merge('sum', x, y), z)).toBe(merge('sum', x, merge('sum', y, z)));
        expect(merge('sum', x, null)).toBe(x);
      }
    });
  });
});
