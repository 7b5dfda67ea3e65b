import { attributeKey } from '../schema/attribute';
import { SchemaState } from '../schema/schema-state';
import { conflict, DomainError, ErrorDetail, notFound, validationError } from '../shared/errors';
import { isPlainObject, JsonObject } from '../shared/json';
import { RuleEvent } from './rules-events';
import { emptyRules, evolveRules, rulesByPriority, RulesState } from './rules-state';
import { Decider } from '../decider/decider';
import { BLOCKED_VALUE_MAX_LENGTH, MAX_BLOCKED_VALUES, MAX_PRIORITY, parseRuleProperty, RULE_NAME_MAX_LENGTH, UnificationRule } from './unification-rule';

/** One entry of a new order: `{rule_id, priority}`. */
export interface PriorityAssignment {
  rule_id: string;
  priority: number;
}

/**
 * Inputs are the request bodies as received (`unknown`): the decider checks them itself, so a
 * rule that breaks an invariant is refused whatever the caller validated before.
 */
export type RulesCommand =
  /**
   * rule_id is passed in; the input holds rule_name, property_name and optionally priority,
   * is_active, immutable. The tenant's schema comes along: a rule's property must be defined.
   */
  | { type: 'AddRule'; ruleId: string; input: unknown; schema: SchemaState; at: string }
  /** A partial change of rule_name, priority, is_active or immutable. */
  | { type: 'ChangeRule'; ruleId: string; input: unknown; at: string }
  | { type: 'RemoveRule'; ruleId: string; at: string }
  /** A list of PriorityAssignment naming every rule exactly once. */
  | { type: 'ReprioritizeRules'; priorities: unknown; at: string };

const ADD_FIELDS = new Set(['rule_name', 'property_name', 'priority', 'is_active', 'immutable', 'blocked_values', 'max_profiles']);
/** property_name may be repeated in a change, but only with the value it has. */
const CHANGE_FIELDS = new Set(['rule_name', 'priority', 'is_active', 'immutable', 'property_name', 'blocked_values', 'max_profiles']);
const ASSIGNMENT_FIELDS = new Set(['rule_id', 'priority']);

/**
 * SPEC §5 and seed 002: decides the events of a command on a tenant's unification rules. The
 * schema is read to check that a rule's property is a defined, single-valued string attribute.
 */
export function decideRules(command: RulesCommand, rules: RulesState): RuleEvent[] {
  switch (command.type) {
    case 'AddRule':
      return addRule(command, rules, command.schema);
    case 'ChangeRule':
      return changeRule(command, rules);
    case 'RemoveRule':
      requireRule(rules, command.ruleId);
      return [{ type: 'UnificationRuleRemoved', data: { rule_id: command.ruleId, at: command.at } }];
    case 'ReprioritizeRules':
      return reprioritize(command, rules);
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled rules command ${JSON.stringify(unhandled)}`);
    }
  }
}

function addRule(command: Extract<RulesCommand, { type: 'AddRule' }>, rules: RulesState, schema: SchemaState): RuleEvent[] {
  const { input } = command;
  if (!isPlainObject(input)) throw invalidRule([{ reason: 'a unification rule must be a JSON object' }]);

  const existing = rules.byId.get(command.ruleId);
  if (existing) {
    // The same request again (a retry carrying the same rule id): it has had its effect.
    if (input.property_name === existing.property_name && input.rule_name === existing.rule_name) return [];
    throw conflict('rule_exists', `Rule ${command.ruleId} exists already`, [{ field: 'rule_id', reason: 'already used' }]);
  }

  const details: ErrorDetail[] = [];
  unknownFields(input, ADD_FIELDS, details);
  const ruleName = checkRuleName(input.rule_name, details, true);
  const propertyName = checkProperty(input.property_name, schema, details);
  const priority = checkPriority(input.priority, details);
  const isActive = checkBoolean(input, 'is_active', details);
  const immutable = checkBoolean(input, 'immutable', details);
  const safeguards = checkSafeguards(input, details);
  if (details.length > 0) throw invalidRule(details);

  const others = [...rules.byId.values()];
  const sameProperty = others.find((r) => r.property_name === propertyName);
  if (sameProperty) {
    throw conflict('rule_exists', `Rule "${sameProperty.rule_name}" already uses ${propertyName}`, [
      { field: 'property_name', reason: `already the property of rule ${sameProperty.rule_id}` },
    ]);
  }
  requireFreeName(others, ruleName as string);
  let finalPriority: number;
  if (priority === undefined) {
    // Seed 002: a new identity goes to the end of the list, with the lowest priority.
    finalPriority = others.reduce((max, r) => Math.max(max, r.priority), 0) + 1;
    if (finalPriority > MAX_PRIORITY) {
      throw conflict('priority_taken', `Every priority up to ${MAX_PRIORITY} is taken; give the rule a free one`, [
        { field: 'priority', reason: 'no priority left after the last rule' },
      ]);
    }
  } else {
    requireFreePriority(others, priority);
    finalPriority = priority;
  }

  const rule: UnificationRule = {
    rule_id: command.ruleId,
    rule_name: ruleName as string,
    property_name: propertyName as string,
    priority: finalPriority,
    is_active: isActive ?? true,
    immutable: immutable ?? false,
    ...safeguards,
  };
  return [{ type: 'UnificationRuleAdded', data: { rule, at: command.at } }];
}

function changeRule(command: Extract<RulesCommand, { type: 'ChangeRule' }>, rules: RulesState): RuleEvent[] {
  const current = requireRule(rules, command.ruleId);
  const { input } = command;
  if (!isPlainObject(input)) throw invalidRule([{ reason: 'a change of a unification rule must be a JSON object' }]);

  const details: ErrorDetail[] = [];
  unknownFields(input, CHANGE_FIELDS, details);
  const ruleName = checkRuleName(input.rule_name, details, false);
  const priority = checkPriority(input.priority, details);
  const isActive = checkBoolean(input, 'is_active', details);
  const immutable = checkBoolean(input, 'immutable', details);
  const safeguards = checkSafeguards(input, details);
  if (details.length > 0) throw invalidRule(details);

  const propertyName = input.property_name;
  if (propertyName !== undefined && propertyName !== null && propertyName !== current.property_name) {
    // Like an attribute's name and type: the values already matched were matched on this property.
    throw conflict('rule_field_fixed', 'property_name of a rule cannot change; add a new rule instead', [
      { field: 'property_name', reason: 'fixed once the rule exists' },
    ]);
  }

  const others = [...rules.byId.values()].filter((r) => r.rule_id !== current.rule_id);
  if (ruleName !== undefined && ruleName !== current.rule_name) requireFreeName(others, ruleName);
  if (priority !== undefined && priority !== current.priority) requireFreePriority(others, priority);

  const next: UnificationRule = {
    ...current,
    ...(ruleName !== undefined ? { rule_name: ruleName } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(isActive !== undefined ? { is_active: isActive } : {}),
    ...(immutable !== undefined ? { immutable } : {}),
    ...safeguards,
  };
  const unchanged =
    next.rule_name === current.rule_name &&
    next.priority === current.priority &&
    next.is_active === current.is_active &&
    next.immutable === current.immutable &&
    sameValues(next.blocked_values, current.blocked_values) &&
    (next.max_profiles ?? null) === (current.max_profiles ?? null);
  return unchanged ? [] : [{ type: 'UnificationRuleChanged', data: { rule: next, at: command.at } }];
}

function reprioritize(command: Extract<RulesCommand, { type: 'ReprioritizeRules' }>, rules: RulesState): RuleEvent[] {
  const list = command.priorities;
  if (!Array.isArray(list)) {
    throw invalidPriorities([{ field: 'priorities', reason: 'must be an array of {rule_id, priority}' }]);
  }
  const details: ErrorDetail[] = [];
  const assignments: PriorityAssignment[] = [];
  const seenIds = new Map<string, number>();
  const seenPriorities = new Map<number, number>();
  list.forEach((entry, i) => {
    const at = (field?: string) => (field ? `priorities[${i}].${field}` : `priorities[${i}]`);
    if (!isPlainObject(entry)) {
      details.push({ field: at(), reason: 'must be an object {rule_id, priority}' });
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!ASSIGNMENT_FIELDS.has(key)) details.push({ field: at(key), reason: 'unknown field' });
    }
    const ruleId = entry.rule_id;
    const priority = entry.priority;
    let ok = true;
    if (typeof ruleId !== 'string' || ruleId.length === 0) {
      details.push({ field: at('rule_id'), reason: 'required string' });
      ok = false;
    } else if (seenIds.has(ruleId)) {
      details.push({ field: at('rule_id'), reason: `rule ${ruleId} is named twice (also at priorities[${seenIds.get(ruleId)}])` });
      ok = false;
    } else {
      seenIds.set(ruleId, i);
    }
    if (!isPriority(priority)) {
      details.push({ field: at('priority'), reason: `must be an integer from 1 to ${MAX_PRIORITY}` });
      ok = false;
    } else if (seenPriorities.has(priority)) {
      details.push({ field: at('priority'), reason: `priority ${priority} is given twice (also at priorities[${seenPriorities.get(priority)}])` });
      ok = false;
    } else {
      seenPriorities.set(priority, i);
    }
    if (ok) assignments.push({ rule_id: ruleId as string, priority: priority as number });
  });
  if (details.length > 0) throw invalidPriorities(details);

  const unknown = assignments.find((a) => !rules.byId.has(a.rule_id));
  if (unknown) throw notFound('rule_not_found', `No unification rule ${unknown.rule_id}`);
  const missing = rulesByPriority(rules).filter((r) => !seenIds.has(r.rule_id));
  if (missing.length > 0) {
    throw invalidPriorities(
      missing.map((r) => ({ field: 'priorities', reason: `rule ${r.rule_id} ("${r.rule_name}") is missing: every rule must be given its priority` })),
    );
  }

  if (assignments.every((a) => rules.byId.get(a.rule_id)?.priority === a.priority)) return [];
  const priorities = Object.fromEntries(
    [...assignments].sort((a, b) => a.priority - b.priority).map((a) => [a.rule_id, a.priority]),
  );
  return [{ type: 'UnificationRulesReprioritized', data: { priorities, at: command.at } }];
}

function requireRule(rules: RulesState, ruleId: string): UnificationRule {
  const rule = rules.byId.get(ruleId);
  if (!rule) throw notFound('rule_not_found', `No unification rule ${ruleId}`);
  return rule;
}

function requireFreeName(others: UnificationRule[], ruleName: string): void {
  const holder = others.find((r) => r.rule_name === ruleName);
  if (holder) {
    throw conflict('rule_name_taken', `A rule named "${ruleName}" exists already`, [
      { field: 'rule_name', reason: `already the name of rule ${holder.rule_id}` },
    ]);
  }
}

function requireFreePriority(others: UnificationRule[], priority: number): void {
  const holder = others.find((r) => r.priority === priority);
  if (holder) {
    throw conflict('priority_taken', `Priority ${priority} belongs to rule "${holder.rule_name}"; reorder the rules to move it`, [
      { field: 'priority', reason: `already the priority of rule ${holder.rule_id}` },
    ]);
  }
}

function unknownFields(input: JsonObject, allowed: ReadonlySet<string>, details: ErrorDetail[]): void {
  for (const key of Object.keys(input)) if (!allowed.has(key)) details.push({ field: key, reason: 'unknown field' });
}

function checkRuleName(raw: unknown, details: ErrorDetail[], required: boolean): string | undefined {
  if (raw === undefined || raw === null) {
    if (required) details.push({ field: 'rule_name', reason: 'required string' });
    return undefined;
  }
  if (typeof raw !== 'string' || raw.trim().length === 0 || raw.length > RULE_NAME_MAX_LENGTH) {
    details.push({ field: 'rule_name', reason: `must be a string of 1 to ${RULE_NAME_MAX_LENGTH} characters, not only spaces` });
    return undefined;
  }
  return raw;
}

/** Seed 002: only text fields can be identities; application_data belongs to one application. */
function checkProperty(raw: unknown, schema: SchemaState, details: ErrorDetail[]): string | undefined {
  const field = 'property_name';
  if (typeof raw !== 'string' || raw.length === 0) {
    details.push({ field, reason: 'required string: identity_attributes.<name> or traits.<name>' });
    return undefined;
  }
  if (raw === 'application_data' || raw.startsWith('application_data.')) {
    details.push({
      field,
      reason: `${raw}: application_data attributes belong to one application and cannot identify a person; use an identity_attributes or traits attribute`,
    });
    return undefined;
  }
  const property = parseRuleProperty(raw);
  if (!property) {
    details.push({ field, reason: `${raw} is not identity_attributes.<name> or traits.<name>` });
    return undefined;
  }
  const def = schema.byKey.get(attributeKey(property.scope, property.name));
  if (!def) {
    const elsewhere = [...schema.byId.values()].find((d) => d.name === property.name && d.scope !== 'application_data');
    details.push({
      field,
      reason: elsewhere
        ? `${raw} is not defined in the profile schema (${elsewhere.attribute_name} is)`
        : `${raw} is not defined in the profile schema; define the attribute first`,
    });
    return undefined;
  }
  if (def.value_type !== 'string' || def.multi_valued) {
    details.push({
      field,
      reason: `${raw} is a ${def.multi_valued ? 'multi-valued ' : ''}${def.value_type} attribute; only single-valued string attributes can be identities`,
    });
    return undefined;
  }
  return raw;
}

function isPriority(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_PRIORITY;
}

function checkPriority(raw: unknown, details: ErrorDetail[]): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPriority(raw)) {
    details.push({ field: 'priority', reason: `must be an integer from 1 (highest) to ${MAX_PRIORITY}` });
    return undefined;
  }
  return raw;
}

function checkBoolean(input: JsonObject, field: 'is_active' | 'immutable', details: ErrorDetail[]): boolean | undefined {
  const raw = input[field];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'boolean') {
    details.push({ field, reason: 'must be true or false' });
    return undefined;
  }
  return raw;
}

/**
 * `blocked_values`: a list of distinct strings (null or [] clears it); `max_profiles`: an integer
 * of at least 2 (null clears it). Only the fields present change.
 */
function checkSafeguards(input: JsonObject, details: ErrorDetail[]): Pick<UnificationRule, 'blocked_values' | 'max_profiles'> {
  const safeguards: Pick<UnificationRule, 'blocked_values' | 'max_profiles'> = {};
  if (input.blocked_values !== undefined) {
    const raw = input.blocked_values;
    if (raw === null) safeguards.blocked_values = [];
    else if (
      !Array.isArray(raw) ||
      raw.length > MAX_BLOCKED_VALUES ||
      raw.some((v) => typeof v !== 'string' || v.length > BLOCKED_VALUE_MAX_LENGTH) ||
      new Set(raw).size !== raw.length
    ) {
      details.push({
        field: 'blocked_values',
        reason: `must be a list of at most ${MAX_BLOCKED_VALUES} distinct strings of at most ${BLOCKED_VALUE_MAX_LENGTH} characters`,
      });
    } else safeguards.blocked_values = raw as string[];
  }
  if (input.max_profiles !== undefined) {
    const raw = input.max_profiles;
    if (raw === null) safeguards.max_profiles = null;
    else if (!Number.isSafeInteger(raw) || (raw as number) < 2) details.push({ field: 'max_profiles', reason: 'must be a whole number of at least 2 (or null for no limit)' });
    else safeguards.max_profiles = raw as number;
  }
  return safeguards;
}

function sameValues(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const [x, y] = [a ?? [], b ?? []];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function invalidRule(details: ErrorDetail[]): DomainError {
  return validationError('invalid_rule', withFirstReason('The unification rule is not valid', details), details);
}

function invalidPriorities(details: ErrorDetail[]): DomainError {
  return validationError(
    'invalid_priorities',
    withFirstReason('The new order must give every rule exactly one distinct priority', details),
    details,
  );
}

/** One problem is named in the message itself; several are listed in the details. */
function withFirstReason(message: string, details: ErrorDetail[]): string {
  if (details.length !== 1) return message;
  const [only] = details;
  return `${message}: ${only.field ? `${only.field}: ` : ''}${only.reason}`;
}

/** A tenant's unification rules stream as a decider. */
export const rulesDecider: Decider<RulesCommand, RuleEvent, RulesState> = {
  decide: decideRules,
  evolve: evolveRules,
  initialState: () => emptyRules,
};
