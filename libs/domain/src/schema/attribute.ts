import { DEFAULT_MAX_VALUES, MergeRule, MergeStrategy } from '../merge/merge-strategy';

/** SPEC §4: attributes live in three scopes. */
export const SCOPES = ['identity_attributes', 'traits', 'application_data'] as const;
export type Scope = (typeof SCOPES)[number];

export const VALUE_TYPES = ['string', 'integer', 'decimal', 'boolean', 'date_time', 'complex'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface AttributeDefinition {
  attribute_id: string;
  /** Full name with its scope, as the API shows it: `traits.interests`. */
  attribute_name: string;
  scope: Scope;
  /** The name inside its scope: `interests`. */
  name: string;
  value_type: ValueType;
  multi_valued: boolean;
  merge_strategy: MergeStrategy;
  /** Only for multi-valued attributes: the oldest values beyond it are dropped. */
  max_values?: number;
  /** Only for application_data: the application's client id. */
  application_identifier?: string;
  description?: string;
}

export const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Names of JavaScript's object machinery (`constructor`, `toString`, `__proto__`…): as keys of
 * plain objects they are dropped or shadowed by JSON tooling along the way, so a value written
 * under them could silently vanish. They are refused instead.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export function isUsableKey(key: string): boolean {
  return !RESERVED_KEYS.has(key);
}
export const APPLICATION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** One key per attribute slot on a profile: `traits.x` or `application_data.<app>.x`. */
export function attributeKey(scope: Scope, name: string, applicationId?: string): string {
  return scope === 'application_data' ? `${scope}.${applicationId}.${name}` : `${scope}.${name}`;
}

export function definitionKey(def: Pick<AttributeDefinition, 'scope' | 'name' | 'application_identifier'>): string {
  return attributeKey(def.scope, def.name, def.application_identifier);
}

/** How two values of the attribute meet; `sum` also keeps the value type, which bounds it. */
export function mergeRuleOf(def: AttributeDefinition): MergeRule {
  if (def.multi_valued) return { merge_strategy: def.merge_strategy, max_values: def.max_values ?? DEFAULT_MAX_VALUES };
  return def.merge_strategy === 'sum' ? { merge_strategy: 'sum', value_type: def.value_type } : { merge_strategy: def.merge_strategy };
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}
