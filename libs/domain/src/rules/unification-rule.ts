/**
 * SPEC §5 and seed 002: a unification rule (an "identity") names one profile attribute whose
 * equal values mean two profiles are the same person.
 */
export interface UnificationRule {
  rule_id: string;
  /** 1 to 128 characters, unique within the tenant. */
  rule_name: string;
  /** `identity_attributes.<name>` or `traits.<name>`; fixed once the rule exists. */
  property_name: string;
  /** An integer from 1; 1 is evaluated first. Unique within the tenant. */
  priority: number;
  /** Inactive rules are kept but take no part in identity resolution. */
  is_active: boolean;
  /** Immutable: both profiles holding different non-empty values blocks any merge. */
  immutable: boolean;
  /** Values that never match through this rule (exact, case-sensitive): `""`, `"null"`, a shared test address. */
  blocked_values?: string[];
  /** At most this many profiles joined into one unified profile through this rule; null or absent: no limit. */
  max_profiles?: number | null;
}

/** A rule's blocked values are placeholders (`""`, `"null"`, a shared test address): a short list of short strings. */
export const MAX_BLOCKED_VALUES = 100;
export const BLOCKED_VALUE_MAX_LENGTH = 512;

/** The scopes a rule's property may live in: profile-wide ones, never `application_data`. */
export const RULE_SCOPES = ['identity_attributes', 'traits'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

export const RULE_NAME_MAX_LENGTH = 128;
export const MAX_PRIORITY = 1_000_000;

export interface RuleProperty {
  scope: RuleScope;
  /** The attribute's name inside its scope. */
  name: string;
}

/** `traits.member_id` → `{scope: 'traits', name: 'member_id'}`; null when it is not a rule property. */
export function parseRuleProperty(propertyName: string): RuleProperty | null {
  const dot = propertyName.indexOf('.');
  if (dot <= 0) return null;
  const scope = propertyName.slice(0, dot);
  const name = propertyName.slice(dot + 1);
  if (!(RULE_SCOPES as readonly string[]).includes(scope) || name.length === 0) return null;
  return { scope: scope as RuleScope, name };
}

/** Highest priority first (lowest number); rule_id breaks ties so the order never depends on insertion. */
export function compareByPriority(a: UnificationRule, b: UnificationRule): number {
  return a.priority - b.priority || (a.rule_id < b.rule_id ? -1 : a.rule_id > b.rule_id ? 1 : 0);
}
