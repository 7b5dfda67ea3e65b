import { DeciderSpecification } from '../decider/decider-specification';
import { AttributeDefinition, Scope } from './attribute';
import { decideSchema, MAX_DEFINITIONS_PER_REQUEST, SchemaCommand, schemaDecider } from './schema-decider';
import { SchemaEvent } from './schema-events';
import { emptySchema, evolveSchema } from './schema-state';
import { parseAttributeWrites } from './value-validation';

const givenSchema = DeciderSpecification.for(schemaDecider);

const AT = '2026-06-05T10:00:00.000Z';
const LATER = '2026-06-05T11:00:00.000Z';

const define = (scope: Scope, inputs: unknown[], attributeIds = inputs.map((_, i) => `attr-${i + 1}`)): SchemaCommand => ({
  type: 'DefineAttributes',
  scope,
  inputs,
  attributeIds,
  at: AT,
});
const redefine = (attributeId: string, input: unknown): SchemaCommand => ({ type: 'RedefineAttribute', attributeId, input, at: LATER });
const remove = (attributeId: string, usedByRules: string[] = []): SchemaCommand => ({ type: 'RemoveAttribute', attributeId, usedByRules, at: LATER });

const interestsInput = { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' };
const interests: AttributeDefinition = {
  attribute_id: 'attr-1',
  attribute_name: 'traits.interests',
  scope: 'traits',
  name: 'interests',
  value_type: 'string',
  multi_valued: true,
  merge_strategy: 'combine',
  max_values: 1000,
};
const cartInput = { ...interestsInput, attribute_name: 'cart', application_identifier: 'shop-app' };
const cart: AttributeDefinition = {
  ...interests,
  attribute_id: 'attr-9',
  attribute_name: 'application_data.cart',
  scope: 'application_data',
  name: 'cart',
  application_identifier: 'shop-app',
};
const defined = (definition: AttributeDefinition, at = AT): SchemaEvent => ({ type: 'AttributeDefined', data: { definition, at } });
const fold = (events: SchemaEvent[]) => events.reduce(evolveSchema, emptySchema);

describe('decideSchema (SPEC §4)', () => {
  describe('DefineAttributes', () => {
    it(`defines at most ${MAX_DEFINITIONS_PER_REQUEST} attributes in one request, and says so`, () => {
      const inputs = (count: number) => Array.from({ length: count }, (_, i) => ({ ...interestsInput, attribute_name: `interest_${i}` }));
      expect(decideSchema(define('traits', inputs(MAX_DEFINITIONS_PER_REQUEST)), emptySchema)).toHaveLength(MAX_DEFINITIONS_PER_REQUEST);
      const error = givenSchema([]).when(define('traits', inputs(MAX_DEFINITIONS_PER_REQUEST + 1))).thenThrows('too_many_attributes');
      expect(error.message).toContain(String(MAX_DEFINITIONS_PER_REQUEST));
    });

    it('defines one attribute', () => {
      givenSchema([]).when(define('traits', [interestsInput])).then([defined(interests)]);
    });

    it('defines a batch in order, each with its own id', () => {
      const events = givenSchema([])
        .when(define('traits', [interestsInput, { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }], ['a', 'b']))
        .then([
          defined({ ...interests, attribute_id: 'a' }),
          defined({
            attribute_id: 'b',
            attribute_name: 'traits.visits',
            scope: 'traits',
            name: 'visits',
            value_type: 'integer',
            multi_valued: false,
            merge_strategy: 'sum',
          }),
        ]);
      expect([...fold(events).byId.keys()]).toEqual(['a', 'b']);
    });

    it('refuses an empty request', () => {
      givenSchema([]).when(define('traits', [])).thenThrows('empty_request');
    });

    it('refuses an invalid definition with every reason', () => {
      const error = givenSchema([]).when(define('traits', [{ ...interestsInput, multi_valued: false }])).thenThrows('invalid_attribute');
      expect(error.kind).toBe('validation');
      expect(error.details[0].reason).toMatch(/combine/);
    });

    it('refuses an attribute that exists already, however its name is spelled', () => {
      const error = givenSchema([defined(interests)])
        .when(define('traits', [{ ...interestsInput, attribute_name: 'traits.interests', merge_strategy: 'overwrite' }], ['attr-2']))
        .thenThrows('attribute_exists');
      expect(error.kind).toBe('conflict');
    });

    it('defines nothing when one of a batch exists already', () => {
      givenSchema([defined(interests)])
        .when(define('traits', [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }, interestsInput]))
        .thenThrows('attribute_exists');
    });

    it('defines nothing when a batch names the same attribute twice', () => {
      givenSchema([]).when(define('traits', [interestsInput, { ...interestsInput, attribute_name: 'traits.interests' }])).thenThrows('attribute_exists');
    });

    it('allows the same name in another scope or for another application', () => {
      givenSchema([defined(interests), defined(cart)])
        .when(
          define(
            'application_data',
            [
              { ...cartInput, application_identifier: 'blog-app' },
              { ...cartInput, attribute_name: 'interests' },
            ],
            ['x', 'y'],
          ),
        )
        .then([
          defined({ ...cart, attribute_id: 'x', application_identifier: 'blog-app' }),
          defined({ ...cart, attribute_id: 'y', attribute_name: 'application_data.interests', name: 'interests' }),
        ]);
    });

    it('makes the attribute writable, and only in its scope', () => {
      const schema = fold(givenSchema([]).when(define('traits', [interestsInput])).then([defined(interests)]));
      expect(parseAttributeWrites(schema, { traits: { interests: ['shoes'] } })).toHaveLength(1);
      expect(() => parseAttributeWrites(schema, { identity_attributes: { interests: ['shoes'] } })).toThrow();
    });
  });

  describe('RedefineAttribute', () => {
    it('can change the merge strategy, keeping id, name and type', () => {
      givenSchema([defined(interests)])
        .when(redefine('attr-1', { multi_valued: true, merge_strategy: 'overwrite', max_values: 20 }))
        .then([{ type: 'AttributeRedefined', data: { definition: { ...interests, merge_strategy: 'overwrite', max_values: 20 }, at: LATER } }]);
    });

    it('makes later writes carry the new strategy', () => {
      const before = fold([defined(interests)]);
      const history = [
        defined(interests),
        ...givenSchema([defined(interests)]).when(redefine('attr-1', { multi_valued: true, merge_strategy: 'oldest' })).then([
          { type: 'AttributeRedefined', data: { definition: { ...interests, merge_strategy: 'oldest' }, at: LATER } },
        ]),
      ];
      const body = { traits: { interests: ['shoes'] } };
      expect(parseAttributeWrites(before, body)[0].merge_strategy).toBe('combine');
      expect(parseAttributeWrites(fold(history), body)[0].merge_strategy).toBe('oldest');
    });

    it('refuses to change the value type', () => {
      const error = givenSchema([defined(interests)]).when(redefine('attr-1', { ...interestsInput, value_type: 'integer' })).thenThrows('attribute_field_fixed');
      expect(error.kind).toBe('conflict');
      expect(error.details).toEqual([{ field: 'value_type', reason: expect.any(String) }]);
    });

    it('refuses to rename', () => {
      const error = givenSchema([defined(interests)]).when(redefine('attr-1', { ...interestsInput, attribute_name: 'hobbies' })).thenThrows('attribute_field_fixed');
      expect(error.details[0].field).toBe('attribute_name');
    });

    it('refuses to move an application_data attribute to another application', () => {
      givenSchema([defined(cart)]).when(redefine('attr-9', { ...cartInput, application_identifier: 'blog-app' })).thenThrows('attribute_field_fixed');
    });

    it('keeps the application when the change does not mention it', () => {
      givenSchema([defined(cart)])
        .when(redefine('attr-9', { multi_valued: true, merge_strategy: 'oldest' }))
        .then([{ type: 'AttributeRedefined', data: { definition: { ...cart, merge_strategy: 'oldest' }, at: LATER } }]);
    });

    it('refuses to turn a multi-valued attribute into a single-valued one', () => {
      const error = givenSchema([defined(interests)])
        .when(redefine('attr-1', { multi_valued: false, merge_strategy: 'overwrite' }))
        .thenThrows('attribute_field_fixed');
      expect(error.details[0].field).toBe('multi_valued');
    });

    it('still validates the new definition', () => {
      givenSchema([defined(interests)]).when(redefine('attr-1', { multi_valued: true, merge_strategy: 'sum' })).thenThrows('invalid_attribute');
    });

    it('answers not found for an unknown or removed attribute', () => {
      givenSchema([]).when(redefine('attr-1', interestsInput)).thenThrows('attribute_not_found');
      const removed: SchemaEvent = { type: 'AttributeRemoved', data: { attribute_id: 'attr-1', at: LATER } };
      expect(givenSchema([defined(interests), removed]).when(redefine('attr-1', interestsInput)).thenThrows('attribute_not_found').kind).toBe('not_found');
    });
  });

  describe('RemoveAttribute', () => {
    it('removes a defined attribute, which then can no longer be written and can be defined anew', () => {
      const events = givenSchema([defined(interests)])
        .when(remove('attr-1'))
        .then([{ type: 'AttributeRemoved', data: { attribute_id: 'attr-1', at: LATER } }]);
      const history = [defined(interests), ...events];
      expect(() => parseAttributeWrites(fold(history), { traits: { interests: ['a'] } })).toThrow();
      givenSchema(history).when(define('traits', [interestsInput], ['attr-2'])).then([defined({ ...interests, attribute_id: 'attr-2' })]);
    });

    it('answers not found for an unknown attribute', () => {
      const error = givenSchema([defined(interests)]).when(remove('attr-404')).thenThrows('attribute_not_found');
      expect(error.kind).toBe('not_found');
    });

    it('refuses to remove the property of a unification rule, naming the rule', () => {
      const error = givenSchema([defined(interests)]).when(remove('attr-1', ['same interests'])).thenThrows('attribute_in_use');
      expect(error.kind).toBe('conflict');
      expect(error.message).toContain('"same interests"');
    });
  });
});
