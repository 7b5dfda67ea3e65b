import { AttributeDefinition } from '../schema/attribute';
import { emptySchema, evolveSchema, SchemaState } from '../schema/schema-state';
import { RulesCommand, rulesDecider } from './rules-decider';
import { RuleEvent } from './rules-events';
import { DeciderSpecification } from '../decider/decider-specification';
import { activeRulesByPriority, foldRules, rulesByPriority } from './rules-state';
import { UnificationRule } from './unification-rule';

const AT = '2026-06-05T10:00:00.000Z';
const LATER = '2026-06-05T11:00:00.000Z';

const attribute = (attribute_name: string, fields: Partial<AttributeDefinition> = {}): AttributeDefinition => {
  const [scope, name] = attribute_name.split('.') as [AttributeDefinition['scope'], string];
  return {
    attribute_id: `attr-${attribute_name}`,
    attribute_name,
    scope,
    name,
    value_type: 'string',
    multi_valued: false,
    merge_strategy: 'overwrite',
    ...fields,
  };
};
const schemaOf = (...defs: AttributeDefinition[]): SchemaState =>
  defs.reduce((state, definition) => evolveSchema(state, { type: 'AttributeDefined', data: { definition, at: AT } }), emptySchema);

const schema = schemaOf(
  attribute('identity_attributes.email'),
  attribute('identity_attributes.member_id'),
  attribute('traits.external_id'),
  attribute('traits.phone'),
  attribute('traits.visits', { value_type: 'integer', merge_strategy: 'sum' }),
  attribute('traits.emails', { multi_valued: true, merge_strategy: 'combine', max_values: 1000 }),
  attribute('identity_attributes.verified_at', { value_type: 'date_time' }),
  { ...attribute('application_data.crm_id'), application_identifier: 'crm' },
);

const add = (ruleId: string, input: unknown): RulesCommand => ({ type: 'AddRule', ruleId, input, schema, at: AT });
const given = DeciderSpecification.for(rulesDecider);
const change = (ruleId: string, input: unknown): RulesCommand => ({ type: 'ChangeRule', ruleId, input, at: LATER });
const remove = (ruleId: string): RulesCommand => ({ type: 'RemoveRule', ruleId, at: LATER });
const reorder = (priorities: unknown): RulesCommand => ({ type: 'ReprioritizeRules', priorities, at: LATER });

const emailRule: UnificationRule = {
  rule_id: 'r-email',
  rule_name: 'Email',
  property_name: 'identity_attributes.email',
  priority: 1,
  is_active: true,
  immutable: false,
};
const memberRule: UnificationRule = {
  rule_id: 'r-member',
  rule_name: 'Member id',
  property_name: 'identity_attributes.member_id',
  priority: 2,
  is_active: true,
  immutable: true,
};
const externalRule: UnificationRule = {
  rule_id: 'r-external',
  rule_name: 'External id',
  property_name: 'traits.external_id',
  priority: 5,
  is_active: false,
  immutable: false,
};
const added = (rule: UnificationRule, at = AT): RuleEvent => ({ type: 'UnificationRuleAdded', data: { rule, at } });
const changed = (rule: UnificationRule): RuleEvent => ({ type: 'UnificationRuleChanged', data: { rule, at: LATER } });
const three = [added(emailRule), added(memberRule), added(externalRule)];

describe('decideRules (SPEC §5, seed 002: identity resolution rules)', () => {
  describe('AddRule', () => {
    it('adds a rule with the id passed in, active and mutable by default, at priority 1 when it is the first', () => {
      given([])
        .when(add('r-email', { rule_name: 'Email', property_name: 'identity_attributes.email' }))
        .then([added(emailRule)]);
    });

    it('puts a rule without a priority at the end of the list, with the lowest priority', () => {
      given(three)
        .when(add('r-phone', { rule_name: 'Phone', property_name: 'traits.phone' }))
        .then([added({ rule_id: 'r-phone', rule_name: 'Phone', property_name: 'traits.phone', priority: 6, is_active: true, immutable: false })]);
    });

    it('keeps an explicit free priority, is_active and immutable', () => {
      given(three)
        .when(add('r-phone', { rule_name: 'Phone', property_name: 'traits.phone', priority: 3, is_active: false, immutable: true }))
        .then([added({ rule_id: 'r-phone', rule_name: 'Phone', property_name: 'traits.phone', priority: 3, is_active: false, immutable: true })]);
    });

    it('refuses an application_data property with a reason', () => {
      const error = given([])
        .when(add('r', { rule_name: 'CRM', property_name: 'application_data.crm_id' }))
        .thenThrows('invalid_rule');
      expect(error.kind).toBe('validation');
      expect(error.details).toEqual([{ field: 'property_name', reason: expect.stringContaining('application_data') }]);
      expect(error.message).toContain('cannot identify a person');
    });

    it('refuses a property that is not defined in the schema, naming it', () => {
      const error = given([])
        .when(add('r', { rule_name: 'Loyalty', property_name: 'traits.loyalty_id' }))
        .thenThrows('invalid_rule');
      expect(error.kind).toBe('validation');
      expect(error.details).toEqual([{ field: 'property_name', reason: expect.stringContaining('traits.loyalty_id is not defined') }]);
    });

    it('says where an attribute of that name is defined when it is in the other scope', () => {
      const error = given([])
        .when(add('r', { rule_name: 'Email', property_name: 'traits.email' }))
        .thenThrows('invalid_rule');
      expect(error.details[0].reason).toContain('identity_attributes.email');
    });

    it.each(['email', 'profile.email', 'identity_attributes.', 'traits', '', 42])('refuses the property %j', (property_name) => {
      const error = given([]).when(add('r', { rule_name: 'X', property_name })).thenThrows('invalid_rule');
      expect(error.details.map((d) => d.field)).toEqual(['property_name']);
    });

    it.each([
      ['an integer', 'traits.visits', /integer/],
      ['a multi-valued string', 'traits.emails', /multi-valued string/],
      ['a date_time', 'identity_attributes.verified_at', /date_time/],
    ])('refuses %s attribute: only single-valued text fields can be identities', (_label, property_name, kind) => {
      const error = given([]).when(add('r', { rule_name: 'X', property_name })).thenThrows('invalid_rule');
      expect(error.details).toEqual([{ field: 'property_name', reason: expect.stringMatching(kind) }]);
      expect(error.details[0].reason).toContain('only single-valued string attributes');
    });

    it('refuses a second rule on the same property with 409', () => {
      const error = given(three)
        .when(add('r-2', { rule_name: 'Email again', property_name: 'identity_attributes.email' }))
        .thenThrows('rule_exists');
      expect(error.kind).toBe('conflict');
      expect(error.details[0].field).toBe('property_name');
    });

    it('refuses a priority another rule has with 409', () => {
      const error = given(three)
        .when(add('r-phone', { rule_name: 'Phone', property_name: 'traits.phone', priority: 2 }))
        .thenThrows('priority_taken');
      expect(error.kind).toBe('conflict');
      expect(error.message).toContain('Member id');
    });

    it('refuses a rule name another rule has with 409', () => {
      const error = given(three)
        .when(add('r-phone', { rule_name: 'Email', property_name: 'traits.phone' }))
        .thenThrows('rule_name_taken');
      expect(error.kind).toBe('conflict');
    });

    it.each([
      ['an empty name', { rule_name: '' }, 'rule_name'],
      ['a blank name', { rule_name: '   ' }, 'rule_name'],
      ['a name of 129 characters', { rule_name: 'x'.repeat(129) }, 'rule_name'],
      ['no name', { rule_name: undefined }, 'rule_name'],
      ['priority 0', { priority: 0 }, 'priority'],
      ['a negative priority', { priority: -1 }, 'priority'],
      ['a fractional priority', { priority: 1.5 }, 'priority'],
      ['a priority as text', { priority: '1' }, 'priority'],
      ['is_active as text', { is_active: 'yes' }, 'is_active'],
      ['immutable as a number', { immutable: 1 }, 'immutable'],
      ['an unknown field', { matching: 'exact' }, 'matching'],
      ['a rule_id in the body', { rule_id: 'mine' }, 'rule_id'],
    ])('refuses %s with 400', (_label, fields, field) => {
      const error = given([])
        .when(add('r', { rule_name: 'Phone', property_name: 'traits.phone', ...fields }))
        .thenThrows('invalid_rule');
      expect(error.details.map((d) => d.field)).toEqual([field]);
    });

    it('accepts a name of 128 characters', () => {
      const [event] = given([])
        .when(add('r', { rule_name: 'x'.repeat(128), property_name: 'traits.phone' }))
        .then([added({ rule_id: 'r', rule_name: 'x'.repeat(128), property_name: 'traits.phone', priority: 1, is_active: true, immutable: false })]);
      expect(event.type).toBe('UnificationRuleAdded');
    });

    it('refuses a body that is not an object', () => {
      given([]).when(add('r', ['traits.phone'])).thenThrows('invalid_rule');
    });

    it('reports every problem at once', () => {
      const error = given([])
        .when(add('r', { rule_name: '', property_name: 'application_data.crm_id', priority: 0, extra: true }))
        .thenThrows('invalid_rule');
      expect(error.details.map((d) => d.field).sort()).toEqual(['extra', 'priority', 'property_name', 'rule_name']);
    });

    it('decides nothing for the same add again (a retry with the same rule id)', () => {
      given(three).when(add('r-email', { rule_name: 'Email', property_name: 'identity_attributes.email' })).then([]);
    });

    it('refuses another rule under a rule id in use', () => {
      given(three).when(add('r-email', { rule_name: 'Phone', property_name: 'traits.phone' })).thenThrows('rule_exists');
    });
  });

  describe('ChangeRule', () => {
    it('changes only the fields given', () => {
      given(three)
        .when(change('r-email', { immutable: true }))
        .then([changed({ ...emailRule, immutable: true })]);
    });

    it('renames, moves to a free priority and deactivates at once', () => {
      given(three)
        .when(change('r-email', { rule_name: 'Primary email', priority: 9, is_active: false }))
        .then([changed({ ...emailRule, rule_name: 'Primary email', priority: 9, is_active: false })]);
    });

    it('decides nothing when nothing changes', () => {
      given(three).when(change('r-email', {})).then([]);
      given(three).when(change('r-email', { rule_name: 'Email', priority: 1, property_name: 'identity_attributes.email' })).then([]);
    });

    it('refuses to change the property (409, like an attribute name)', () => {
      const error = given(three).when(change('r-email', { property_name: 'traits.phone' })).thenThrows('rule_field_fixed');
      expect(error.kind).toBe('conflict');
      expect(error.details).toEqual([{ field: 'property_name', reason: expect.any(String) }]);
    });

    it('refuses a priority or a name another rule has (409)', () => {
      given(three).when(change('r-email', { priority: 2 })).thenThrows('priority_taken');
      given(three).when(change('r-email', { rule_name: 'Member id' })).thenThrows('rule_name_taken');
    });

    it('refuses invalid values and unknown fields (400)', () => {
      const error = given(three).when(change('r-email', { priority: 0, is_active: 'no', colour: 'red' })).thenThrows('invalid_rule');
      expect(error.details.map((d) => d.field).sort()).toEqual(['colour', 'is_active', 'priority']);
    });

    it('answers 404 for an unknown rule', () => {
      const error = given(three).when(change('r-none', { is_active: false })).thenThrows('rule_not_found');
      expect(error.kind).toBe('not_found');
    });

    it('does not check the property against the schema again: a rule can be switched off after its attribute is gone', () => {
      given(three).when(change('r-email', { is_active: false })).then([changed({ ...emailRule, is_active: false })]);
    });
  });

  describe('RemoveRule', () => {
    it('removes a rule', () => {
      const events = given(three).when(remove('r-member')).then([{ type: 'UnificationRuleRemoved', data: { rule_id: 'r-member', at: LATER } }]);
      expect([...foldRules([...three, ...events]).byId.keys()]).toEqual(['r-email', 'r-external']);
    });

    it('answers 404 for an unknown or removed rule', () => {
      given([]).when(remove('r-member')).thenThrows('rule_not_found');
      given([...three, { type: 'UnificationRuleRemoved', data: { rule_id: 'r-member', at: LATER } }])
        .when(remove('r-member'))
        .thenThrows('rule_not_found');
    });

    it('frees the property, the name and the priority', () => {
      const history: RuleEvent[] = [...three, { type: 'UnificationRuleRemoved', data: { rule_id: 'r-member', at: LATER } }];
      given(history)
        .when(add('r-new', { rule_name: 'Member id', property_name: 'identity_attributes.member_id', priority: 2 }))
        .then([added({ ...memberRule, rule_id: 'r-new', immutable: false })]);
    });
  });

  describe('ReprioritizeRules', () => {
    it('saves a new order in one step', () => {
      const events = given(three)
        .when(
          reorder([
            { rule_id: 'r-email', priority: 2 },
            { rule_id: 'r-member', priority: 1 },
            { rule_id: 'r-external', priority: 3 },
          ]),
        )
        .then([
          { type: 'UnificationRulesReprioritized', data: { priorities: { 'r-member': 1, 'r-email': 2, 'r-external': 3 }, at: LATER } },
        ]);
      const state = foldRules([...three, ...events]);
      expect(rulesByPriority(state).map((r) => [r.rule_id, r.priority])).toEqual([
        ['r-member', 1],
        ['r-email', 2],
        ['r-external', 3],
      ]);
    });

    it('decides nothing when the order is the one in force', () => {
      given(three)
        .when(reorder([{ rule_id: 'r-external', priority: 5 }, { rule_id: 'r-email', priority: 1 }, { rule_id: 'r-member', priority: 2 }]))
        .then([]);
      given([]).when(reorder([])).then([]);
    });

    it('refuses an order that leaves a rule out', () => {
      const error = given(three)
        .when(reorder([{ rule_id: 'r-email', priority: 2 }, { rule_id: 'r-member', priority: 1 }]))
        .thenThrows('invalid_priorities');
      expect(error.kind).toBe('validation');
      expect(error.details).toEqual([{ field: 'priorities', reason: expect.stringContaining('r-external') }]);
    });

    it('refuses a rule named twice and a priority given twice', () => {
      const error = given(three)
        .when(
          reorder([
            { rule_id: 'r-email', priority: 1 },
            { rule_id: 'r-email', priority: 2 },
            { rule_id: 'r-member', priority: 1 },
            { rule_id: 'r-external', priority: 3 },
          ]),
        )
        .thenThrows('invalid_priorities');
      expect(error.details.map((d) => d.field)).toEqual(['priorities[1].rule_id', 'priorities[2].priority']);
    });

    it.each([
      ['not a list', { 'r-email': 1 }, 'priorities'],
      ['a priority of 0', [{ rule_id: 'r-email', priority: 0 }], 'priorities[0].priority'],
      ['a priority as text', [{ rule_id: 'r-email', priority: 'first' }], 'priorities[0].priority'],
      ['no rule id', [{ priority: 1 }], 'priorities[0].rule_id'],
      ['an entry that is not an object', ['r-email'], 'priorities[0]'],
      ['an unknown field', [{ rule_id: 'r-email', priority: 1, name: 'Email' }], 'priorities[0].name'],
    ])('refuses %s (400)', (_label, priorities, field) => {
      const error = given(three).when(reorder(priorities)).thenThrows('invalid_priorities');
      expect(error.details.map((d) => d.field)).toContain(field);
    });

    it('answers 404 for a rule that does not exist', () => {
      given(three)
        .when(
          reorder([
            { rule_id: 'r-email', priority: 1 },
            { rule_id: 'r-member', priority: 2 },
            { rule_id: 'r-external', priority: 3 },
            { rule_id: 'r-gone', priority: 4 },
          ]),
        )
        .thenThrows('rule_not_found');
    });
  });

  describe('the state', () => {
    it('lists the active rules by priority, highest first', () => {
      const state = foldRules([added({ ...memberRule, priority: 7 }), added(externalRule), added({ ...emailRule, priority: 3 })]);
      expect(activeRulesByPriority(state).map((r) => r.rule_id)).toEqual(['r-email', 'r-member']);
      expect(rulesByPriority(state).map((r) => r.rule_id)).toEqual(['r-email', 'r-external', 'r-member']);
    });

    it('ignores the removal and reordering of rules it does not know', () => {
      const state = foldRules(three);
      expect(foldRules([{ type: 'UnificationRuleRemoved', data: { rule_id: 'r-x', at: LATER } }], state)).toBe(state);
      const reordered = foldRules([{ type: 'UnificationRulesReprioritized', data: { priorities: { 'r-x': 1, 'r-email': 4 }, at: LATER } }], state);
      expect([...reordered.byId.values()].map((r) => [r.rule_id, r.priority])).toEqual([['r-email', 4], ['r-member', 2], ['r-external', 5]]);
    });
  });

  describe('safeguards (blocked_values, max_profiles)', () => {
    it('keeps the blocked values and the limit a rule is added with', () => {
      given([])
        .when(add('r-email', { rule_name: 'Email', property_name: 'identity_attributes.email', blocked_values: ['', 'null'], max_profiles: 5 }))
        .then([added({ ...emailRule, blocked_values: ['', 'null'], max_profiles: 5 })]);
    });

    it('changes them, and clears them with null', () => {
      const withSafeguards = [added({ ...emailRule, blocked_values: ['null'], max_profiles: 3 })];
      given(withSafeguards)
        .when(change('r-email', { blocked_values: ['null', 'none'], max_profiles: 4 }))
        .then([changed({ ...emailRule, blocked_values: ['null', 'none'], max_profiles: 4 })]);
      given(withSafeguards).when(change('r-email', { blocked_values: null, max_profiles: null })).then([changed({ ...emailRule, blocked_values: [], max_profiles: null })]);
      given(withSafeguards).when(change('r-email', { blocked_values: ['null'], max_profiles: 3 })).thenNothingHappened();
    });

    it.each<[string, unknown]>([
      ['blocked_values', 'null'],
      ['blocked_values', [1]],
      ['blocked_values', ['a', 'a']],
      ['max_profiles', 1],
      ['max_profiles', 2.5],
      ['max_profiles', '3'],
    ])('refuses %s = %j, naming the field', (field, value) => {
      const error = given([]).when(add('r', { rule_name: 'Email', property_name: 'identity_attributes.email', [field]: value })).thenThrows('invalid_rule');
      expect(error.details.map((d) => d.field)).toEqual([field]);
    });
  });
});
