import { DomainError } from '../shared/errors';
import { Scope } from './attribute';
import { parseAttributeInput } from './attribute-input';

const parse = (scope: Scope, input: unknown, index?: number) => parseAttributeInput(scope, input, 'attr-1', index);

/** The validation error a rejected definition throws. */
function rejection(scope: Scope, input: unknown, index?: number): DomainError {
  try {
    parse(scope, input, index);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected in ${scope}`);
}

const interests = { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' };

describe('parseAttributeInput (SPEC §4: defining an attribute)', () => {
  it('turns a valid input into a definition with its full name and a default cap of 1000', () => {
    expect(parse('traits', interests)).toEqual({
      attribute_id: 'attr-1',
      attribute_name: 'traits.interests',
      scope: 'traits',
      name: 'interests',
      value_type: 'string',
      multi_valued: true,
      merge_strategy: 'combine',
      max_values: 1000,
    });
  });

  it('accepts the name with its scope prefix when it is the scope of the path', () => {
    expect(parse('traits', { ...interests, attribute_name: 'traits.interests' })).toEqual(parse('traits', interests));
  });

  it('makes an attribute single-valued without a cap unless told otherwise', () => {
    const def = parse('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' });
    expect(def.multi_valued).toBe(false);
    expect(def).not.toHaveProperty('max_values');
  });

  it('keeps an explicit max_values and the application of an application_data attribute', () => {
    const def = parse('application_data', { ...interests, attribute_name: 'cart', max_values: 50, application_identifier: 'shop-app_1' });
    expect(def).toMatchObject({ attribute_name: 'application_data.cart', max_values: 50, application_identifier: 'shop-app_1' });
  });

  describe('merge strategy constraints', () => {
    it.each([{ multi_valued: false }, {}])('rejects combine without multi_valued: true (%j) with a reason naming combine', (multi) => {
      const error = rejection('traits', { attribute_name: 'interests', value_type: 'string', merge_strategy: 'combine', ...multi });
      expect(error.kind).toBe('validation');
      expect(error.details).toContainEqual({ field: 'merge_strategy', reason: expect.stringContaining('combine') });
    });

    it.each(['integer', 'decimal'])('allows sum on a single-valued %s', (value_type) => {
      expect(parse('traits', { attribute_name: 'visits', value_type, merge_strategy: 'sum' }).merge_strategy).toBe('sum');
    });

    it.each([
      ['a string', { value_type: 'string' }],
      ['a boolean', { value_type: 'boolean' }],
      ['a date_time', { value_type: 'date_time' }],
      ['a multi-valued integer', { value_type: 'integer', multi_valued: true }],
    ])('rejects sum on %s', (_label, fields) => {
      const error = rejection('traits', { attribute_name: 'visits', merge_strategy: 'sum', ...fields });
      expect(error.details).toContainEqual({ field: 'merge_strategy', reason: expect.stringContaining('sum') });
    });

    it('rejects an unknown merge strategy and an unknown value type', () => {
      const error = rejection('traits', { attribute_name: 'x', value_type: 'text', merge_strategy: 'latest' });
      expect(error.details.map((d) => d.field).sort()).toEqual(['merge_strategy', 'value_type']);
    });
  });

  describe('application_identifier', () => {
    it('is required for application_data', () => {
      const error = rejection('application_data', interests);
      expect(error.details).toEqual([{ field: 'application_identifier', reason: expect.any(String) }]);
    });

    it('must look like a client id', () => {
      const error = rejection('application_data', { ...interests, application_identifier: 'my app/1' });
      expect(error.details.map((d) => d.field)).toEqual(['application_identifier']);
    });

    it.each<Scope>(['traits', 'identity_attributes'])('is refused for %s', (scope) => {
      const error = rejection(scope, { ...interests, application_identifier: 'shop-app' });
      expect(error.details).toEqual([{ field: 'application_identifier', reason: expect.stringContaining(scope) }]);
    });
  });

  describe('attribute_name', () => {
    it('rejects a scope prefix that differs from the path scope, naming both scopes', () => {
      const error = rejection('traits', { ...interests, attribute_name: 'identity_attributes.interests' });
      expect(error.details).toHaveLength(1);
      expect(error.details[0].field).toBe('attribute_name');
      expect(error.details[0].reason).toContain('identity_attributes');
      expect(error.details[0].reason).toContain('traits');
    });

    it.each(['$where', 'traits.$where', 'a.b', 'traits.a.b', 'first name', '1st', '', 'x'.repeat(65)])('rejects %j', (name) => {
      const error = rejection('traits', { ...interests, attribute_name: name });
      expect(error.details.map((d) => d.field)).toContain('attribute_name');
    });

    it('is required', () => {
      const { attribute_name: _omit, ...noName } = interests;
      expect(rejection('traits', noName).details).toContainEqual({ field: 'attribute_name', reason: 'required string' });
    });
  });

  describe('other fields', () => {
    it('rejects max_values on a single-valued attribute', () => {
      const error = rejection('traits', { attribute_name: 'x', value_type: 'string', merge_strategy: 'overwrite', max_values: 5 });
      expect(error.details.map((d) => d.field)).toEqual(['max_values']);
    });

    it.each([0, -1, 1.5, 100_001, '10'])('rejects max_values %j', (max_values) => {
      expect(rejection('traits', { ...interests, max_values }).details.map((d) => d.field)).toEqual(['max_values']);
    });

    it('rejects unknown fields and a non-boolean multi_valued', () => {
      const error = rejection('traits', { ...interests, multi_valued: 'yes', unique: true });
      expect(error.details.map((d) => d.field)).toEqual(expect.arrayContaining(['unique', 'multi_valued']));
    });

    it('rejects something that is not an object', () => {
      expect(rejection('traits', ['interests']).code).toBe('invalid_attribute');
    });
  });

  it('reports every problem at once, with the batch index in each field', () => {
    const error = rejection(
      'traits',
      { attribute_name: 'a.b', value_type: 'text', merge_strategy: 'combine', application_identifier: 'app' },
      2,
    );
    expect(error.code).toBe('invalid_attribute');
    expect(error.details.map((d) => d.field).sort()).toEqual(
      ['[2].application_identifier', '[2].attribute_name', '[2].merge_strategy', '[2].value_type'].sort(),
    );
  });
});
