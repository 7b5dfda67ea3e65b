import type { ErrorDetail, MergeStrategy, Scope, ValueType } from '@cds/domain';

/**
 * The checks the API makes on an attribute definition, with its words, so the form can say what
 * is wrong before anything is sent. The API stays the judge: whatever it answers is shown too.
 * A spec holds this file to the domain's own `parseAttributeInput`.
 */
export const SCOPES: readonly Scope[] = ['identity_attributes', 'traits', 'application_data'];
export const VALUE_TYPES: readonly ValueType[] = ['string', 'integer', 'decimal', 'boolean', 'date_time', 'complex'];
export const MERGE_STRATEGIES: readonly MergeStrategy[] = ['combine', 'overwrite', 'oldest', 'sum'];
export const DEFAULT_MAX_VALUES = 1000;
export const MAX_VALUES_LIMIT = 100_000;

const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const APPLICATION_ID = /^[A-Za-z0-9_-]{1,128}$/;
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export const SCOPE_LABELS: Record<Scope, string> = {
  identity_attributes: 'Identity attributes',
  traits: 'Traits',
  application_data: 'Application data',
};

export const STRATEGY_HINTS: Record<MergeStrategy, string> = {
  combine: 'keeps every value from every device (needs multi-valued)',
  overwrite: 'the most recently merged device wins',
  oldest: 'the first value ever seen sticks',
  sum: 'adds numbers up across devices (single-valued integer or decimal)',
};

export interface AttributeInput {
  attribute_name?: unknown;
  value_type?: unknown;
  multi_valued?: unknown;
  merge_strategy?: unknown;
  max_values?: unknown;
  application_identifier?: unknown;
  description?: unknown;
}

export function checkAttribute(scope: Scope, input: AttributeInput): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  checkName(scope, input.attribute_name, details);
  const valueType = input.value_type;
  if (!(VALUE_TYPES as readonly unknown[]).includes(valueType)) {
    details.push({ field: 'value_type', reason: `must be one of ${VALUE_TYPES.join(', ')}` });
  }
  const multiValued = input.multi_valued ?? false;
  if (typeof multiValued !== 'boolean') details.push({ field: 'multi_valued', reason: 'must be a boolean' });
  const strategy = input.merge_strategy;
  if (!(MERGE_STRATEGIES as readonly unknown[]).includes(strategy)) {
    details.push({ field: 'merge_strategy', reason: `must be one of ${MERGE_STRATEGIES.join(', ')}` });
  }
  if (strategy === 'combine' && multiValued !== true) {
    details.push({ field: 'merge_strategy', reason: 'combine requires multi_valued: true' });
  }
  if (strategy === 'sum' && (multiValued === true || (valueType !== 'integer' && valueType !== 'decimal'))) {
    details.push({ field: 'merge_strategy', reason: 'sum requires a single-valued integer or decimal attribute' });
  }
  const maxValues = input.max_values;
  if (maxValues !== undefined) {
    if (multiValued !== true) details.push({ field: 'max_values', reason: 'only multi-valued attributes have max_values' });
    else if (!Number.isInteger(maxValues) || (maxValues as number) < 1 || (maxValues as number) > MAX_VALUES_LIMIT) {
      details.push({ field: 'max_values', reason: `must be an integer from 1 to ${MAX_VALUES_LIMIT}` });
    }
  }
  const appId = input.application_identifier;
  if (scope === 'application_data') {
    if (typeof appId !== 'string' || !APPLICATION_ID.test(appId)) {
      details.push({ field: 'application_identifier', reason: 'application_data attributes need the application client id (letters, digits, _ and -)' });
    }
  } else if (appId !== undefined && appId !== null) {
    details.push({ field: 'application_identifier', reason: `only application_data attributes have one, not ${scope}` });
  }
  const description = input.description;
  if (description !== undefined && (typeof description !== 'string' || description.length > 1024)) {
    details.push({ field: 'description', reason: 'must be a string of at most 1024 characters' });
  }
  return details;
}

function checkName(scope: Scope, raw: unknown, details: ErrorDetail[]): void {
  const field = 'attribute_name';
  if (typeof raw !== 'string' || raw.length === 0) {
    details.push({ field, reason: 'required string' });
    return;
  }
  const dot = raw.indexOf('.');
  const name = dot === -1 ? raw : raw.slice(dot + 1);
  if (dot !== -1 && raw.slice(0, dot) !== scope) {
    details.push({ field, reason: `belongs to scope ${raw.slice(0, dot)}, not ${scope}` });
  }
  if (!ATTRIBUTE_NAME.test(name) || RESERVED_KEYS.has(name)) {
    details.push({ field, reason: 'a name is a letter or _ then up to 63 letters, digits or _ (no $ or dots), and not a reserved word such as constructor or toString' });
  }
}

/** The field an API detail is about, without a batch index (`[0].merge_strategy` → `merge_strategy`). */
export function fieldOf(detail: ErrorDetail): string {
  return (detail.field ?? '').replace(/^\[\d+\]\.?/, '');
}
