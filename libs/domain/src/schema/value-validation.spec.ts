import { DomainError } from '../shared/errors';
import { Scope } from './attribute';
import { parseAttributeInput } from './attribute-input';
import { SchemaEvent } from './schema-events';
import { emptySchema, evolveSchema } from './schema-state';
import { parseAttributeWrites } from './value-validation';

const AT = '2026-06-05T10:00:00.000Z';
type Input = Record<string, unknown>;

/** A tenant schema built the way the service builds it: from AttributeDefined events. */
function schemaOf(...attributes: Array<[Scope, Input]>) {
  const events = attributes.map(
    ([scope, input], i): SchemaEvent => ({ type: 'AttributeDefined', data: { definition: parseAttributeInput(scope, input, `attr-${i}`), at: AT } }),
  );
  return events.reduce(evolveSchema, emptySchema);
}

const schema = schemaOf(
  ['identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }],
  ['traits', { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 50 }],
  ['traits', { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }],
  ['traits', { attribute_name: 'score', value_type: 'decimal', merge_strategy: 'overwrite' }],
  ['traits', { attribute_name: 'subscribed', value_type: 'boolean', merge_strategy: 'overwrite' }],
  ['traits', { attribute_name: 'last_seen', value_type: 'date_time', merge_strategy: 'overwrite' }],
  ['traits', { attribute_name: 'address', value_type: 'complex', merge_strategy: 'overwrite' }],
  ['application_data', { attribute_name: 'cart', value_type: 'complex', multi_valued: true, merge_strategy: 'combine', application_identifier: 'shop-app' }],
);

function rejection(body: unknown): DomainError {
  try {
    parseAttributeWrites(schema, body);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be rejected`);
}
const reasonFor = (body: unknown, field: string) => rejection(body).details.find((d) => d.field === field)?.reason;

describe('parseAttributeWrites (SPEC §4: a PATCH body against the schema)', () => {
  it('turns a valid body into writes that carry the merge rule of each attribute', () => {
    const writes = parseAttributeWrites(schema, {
      identity_attributes: { email: 'ada@example.com' },
      traits: { interests: ['shoes'], visits: 2 },
      application_data: { 'shop-app': { cart: [{ sku: 'A-1', qty: 1 }] } },
    });
    expect(writes).toEqual([
      { scope: 'identity_attributes', attribute: 'email', value: 'ada@example.com', merge_strategy: 'overwrite' },
      { scope: 'traits', attribute: 'interests', value: ['shoes'], merge_strategy: 'combine', max_values: 50 },
      { scope: 'traits', attribute: 'visits', value: 2, merge_strategy: 'sum', value_type: 'integer' },
      { scope: 'application_data', application_id: 'shop-app', attribute: 'cart', value: [{ sku: 'A-1', qty: 1 }], merge_strategy: 'combine', max_values: 1000 },
    ]);
  });

  it('writes nothing for an empty body', () => {
    expect(parseAttributeWrites(schema, {})).toEqual([]);
  });

  it.each([null, [], 'traits', 42])('rejects a body that is not an object: %j', (body) => {
    expect(rejection(body).code).toBe('invalid_body');
  });

  it('rejects an attribute that is not defined', () => {
    const error = rejection({ traits: { favourite_colour: 'blue' } });
    expect(error.kind).toBe('validation');
    expect(error.code).toBe('invalid_attributes');
    expect(error.details).toEqual([{ field: 'traits.favourite_colour', reason: expect.stringContaining('not defined') }]);
  });

  it('rejects a write to the wrong scope, saying which scope the attribute is defined in', () => {
    expect(reasonFor({ traits: { email: 'ada@example.com' } }, 'traits.email')).toMatch(/identity_attributes/);
    expect(reasonFor({ identity_attributes: { interests: ['a'] } }, 'identity_attributes.interests')).toMatch(/\btraits\b/);
  });

  it('rejects application_data for an application the attribute is not defined for, naming that application', () => {
    expect(reasonFor({ application_data: { 'blog-app': { cart: [] } } }, 'application_data.blog-app.cart')).toMatch(/shop-app/);
  });

  it('rejects an unknown top-level key', () => {
    expect(rejection({ traits: {}, profile_id: 'p-1' }).details).toEqual([{ field: 'profile_id', reason: expect.any(String) }]);
  });

  it.each([
    ['traits', 'shoes'],
    ['traits', null],
    ['application_data', { 'shop-app': 'cart' }],
  ])('rejects a %s section that is not an object: %j', (scope, section) => {
    const body = scope === 'application_data' ? { application_data: section } : { [scope]: section };
    expect(rejection(body).details).toHaveLength(1);
  });

  describe('value types', () => {
    it.each<[string, unknown]>([
      ['email', 42],
      ['email', true],
      ['visits', 1.5],
      ['visits', '3'],
      ['score', '1.25'],
      ['subscribed', 'true'],
      ['subscribed', 1],
      ['last_seen', 'yesterday'],
      ['last_seen', 1717557484],
      ['address', 'Main Street 1'],
      ['address', [{ street: 'Main Street 1' }]],
    ])('rejects %s = %j', (attribute, value) => {
      const scope = attribute === 'email' ? 'identity_attributes' : 'traits';
      expect(reasonFor({ [scope]: { [attribute]: value } }, `${scope}.${attribute}`)).toBeDefined();
    });

    it.each<[string, unknown]>([
      ['visits', -3],
      ['score', 4],
      ['score', 0.75],
      ['subscribed', false],
      ['address', { street: 'Main Street 1', geo: { lat: 1.5, lon: 2 }, lines: ['a', 'b'] }],
    ])('accepts %s = %j', (attribute, value) => {
      expect(parseAttributeWrites(schema, { traits: { [attribute]: value } })[0].value).toEqual(value);
    });

    it('rejects a string longer than 8192 characters', () => {
      expect(rejection({ identity_attributes: { email: 'x'.repeat(8193) } }).details).toHaveLength(1);
    });
  });

  describe('date_time', () => {
    it.each(['2026-06-05', '2026-06-05T03:38:04Z', '2026-06-05T03:38:04.834627Z', '2026-06-05T05:38:04+02:00', '2026-06-05T03:38Z'])(
      'accepts the ISO 8601 value %s',
      (value) => {
        expect(parseAttributeWrites(schema, { traits: { last_seen: value } })[0].value).toBe(value);
      },
    );

    it.each(['garbage', '06/05/2026', '2026-13-01', '2026-06-05T25:00:00Z', '2026-06-05 03:38:04', ''])('rejects %j', (value) => {
      expect(reasonFor({ traits: { last_seen: value } }, 'traits.last_seen')).toMatch(/ISO 8601/);
    });

    // Date.parse rolls 30 February over to 1 March instead of refusing it, and the regex only
    // checks the digits, so an impossible calendar date is stored as a date_time.
    it.each(['2026-02-30', '2026-04-31T10:00:00Z'])('rejects the impossible calendar date %s', (value) => {
      expect(reasonFor({ traits: { last_seen: value } }, 'traits.last_seen')).toMatch(/ISO 8601/);
    });
  });

  describe('multi-valued attributes', () => {
    it('expect an array', () => {
      expect(reasonFor({ traits: { interests: 'shoes' } }, 'traits.interests')).toMatch(/array/);
    });

    it('check every item against the value type', () => {
      expect(reasonFor({ traits: { interests: ['shoes', 7] } }, 'traits.interests')).toMatch(/string/);
    });

    it('accept an empty array', () => {
      expect(parseAttributeWrites(schema, { traits: { interests: [] } })[0].value).toEqual([]);
    });

    it('are not accepted by single-valued attributes', () => {
      expect(reasonFor({ traits: { visits: [1, 2] } }, 'traits.visits')).toMatch(/array/);
    });
  });

  it('accepts null for any attribute, as a clear', () => {
    const writes = parseAttributeWrites(schema, {
      traits: { interests: null, visits: null },
      application_data: { 'shop-app': { cart: null } },
    });
    expect(writes.map((w) => [w.attribute, w.value])).toEqual([['interests', null], ['visits', null], ['cart', null]]);
  });

  describe('complex values are stored as documents', () => {
    it.each<[string, unknown]>([
      ['a $ key', { $set: { admin: true } }],
      ['a dotted key', { 'home.city': 'Oslo' }],
      ['a nested $ key', { home: { $where: 'x' } }],
      ['a $ key inside an array', { homes: [{ 'a.b': 1 }] }],
      ['an empty key', { '': 1 }],
    ])('rejects %s', (_label, value) => {
      expect(reasonFor({ traits: { address: value } }, 'traits.address')).toMatch(/key/);
    });

    it('rejects a bad key inside an item of a multi-valued complex attribute', () => {
      expect(reasonFor({ application_data: { 'shop-app': { cart: [{ sku: 'A' }, { $inc: 1 }] } } }, 'application_data.shop-app.cart')).toMatch(/key/);
    });
  });

  it('reports every problem together and writes nothing', () => {
    const error = rejection({
      identity_attributes: { email: 42 },
      traits: { interests: ['ok'], visits: 'many', nickname: 'Ada' },
      application_data: { 'blog-app': { cart: [] } },
      extra: true,
    });
    expect(error.details.map((d) => d.field).sort()).toEqual(
      ['application_data.blog-app.cart', 'extra', 'identity_attributes.email', 'traits.nickname', 'traits.visits'].sort(),
    );
  });
});
