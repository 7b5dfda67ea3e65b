import { AttributeDefinition } from './attribute';
import { SchemaEvent } from './schema-events';
import { emptySchema, evolveSchema, SchemaState } from './schema-state';

const AT = '2026-06-05T10:00:00.000Z';
const definition = (i: number): AttributeDefinition => ({
  attribute_id: `attr-${i}`,
  attribute_name: `traits.a${i}`,
  scope: 'traits',
  name: `a${i}`,
  value_type: 'string',
  multi_valued: false,
  merge_strategy: 'overwrite',
});
const defined = (i: number): SchemaEvent => ({ type: 'AttributeDefined', data: { definition: definition(i), at: AT } });
const removed = (i: number): SchemaEvent => ({ type: 'AttributeRemoved', data: { attribute_id: `attr-${i}`, at: AT } });
const ids = (state: SchemaState) => [...state.byId.keys()];

describe('evolveSchema', () => {
  it('folds a long history into the same maps as applying it event by event', () => {
    const events = [...Array.from({ length: 5000 }, (_, i) => defined(i)), ...Array.from({ length: 2500 }, (_, i) => removed(i * 2))];
    const state = events.reduce(evolveSchema, emptySchema);
    expect(state.byId.size).toBe(2500);
    expect(ids(state).slice(0, 3)).toEqual(['attr-1', 'attr-3', 'attr-5']);
    expect(state.byKey.get('traits.a4999')).toEqual(definition(4999));
    expect(state.byKey.has('traits.a4998')).toBe(false);
  });

  it('keeps every state a value: a later state read first does not change an earlier one, nor the reverse', () => {
    const one = evolveSchema(emptySchema, defined(1));
    const two = evolveSchema(one, defined(2));
    const three = evolveSchema(two, removed(1));
    expect(ids(three)).toEqual(['attr-2']);
    expect(ids(two)).toEqual(['attr-1', 'attr-2']);
    expect(ids(one)).toEqual(['attr-1']);
    const branch = evolveSchema(one, defined(9));
    expect(ids(branch)).toEqual(['attr-1', 'attr-9']);
    expect(ids(two)).toEqual(['attr-1', 'attr-2']);
    expect(ids(emptySchema)).toEqual([]);
  });

  it('builds a frozen state as any other', () => {
    const frozen = Object.freeze(evolveSchema(evolveSchema(emptySchema, defined(1)), defined(2)));
    expect(ids(frozen)).toEqual(['attr-1', 'attr-2']);
  });

  it('takes a plain state object as the state to evolve from', () => {
    const plain: SchemaState = { byId: new Map([['attr-7', definition(7)]]), byKey: new Map([['traits.a7', definition(7)]]) };
    expect(ids(evolveSchema(plain, defined(8)))).toEqual(['attr-7', 'attr-8']);
    expect(ids(plain)).toEqual(['attr-7']);
  });
});
