import { canonicalJson, isEmpty, JsonValue } from '../shared/json';
import { assertNever } from '../shared/errors';

/** SPEC §3. One binary operator per strategy, used wherever two values of an attribute meet. */
export const MERGE_STRATEGIES = ['combine', 'overwrite', 'oldest', 'sum'] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

export const DEFAULT_MAX_VALUES = 1000;

export interface MergeRule {
  merge_strategy: MergeStrategy;
  /** Cap for multi-valued attributes; absent for single-valued ones. */
  max_values?: number;
  /**
   * `integer` keeps `sum` within the safe integers; anything else (and events written before the
   * type was recorded) within the finite numbers.
   */
  value_type?: string;
}

/**
 * merge(existing, incoming). On PATCH existing is the stored value and incoming the written
 * one; on a profile merge existing is the non-triggering profile's value (SPEC §5).
 * Returns undefined when the result is empty, so empty attributes are simply absent.
 */
export function mergeValues(
  rule: MergeRule,
  existing: JsonValue | undefined,
  incoming: JsonValue | undefined,
): JsonValue | undefined {
  const merged = mergeByStrategy(rule, existing, incoming);
  if (isEmpty(merged)) return undefined;
  return capValues(merged as JsonValue, rule.max_values);
}

function mergeByStrategy(
  rule: MergeRule,
  existing: JsonValue | undefined,
  incoming: JsonValue | undefined,
): JsonValue | undefined {
  switch (rule.merge_strategy) {
    case 'combine':
      return combine(existing, incoming);
    case 'overwrite':
      return isEmpty(incoming) ? existing : incoming;
    case 'oldest':
      return isEmpty(existing) ? incoming : existing;
    case 'sum':
      return sum(existing, incoming, rule.value_type);
    default:
      return assertNever(rule.merge_strategy);
  }
}

/** Ordered union, existing first, duplicates (by JSON value) dropped. */
function combine(existing: JsonValue | undefined, incoming: JsonValue | undefined): JsonValue[] {
  const seen = new Set<string>();
  const out: JsonValue[] = [];
  for (const value of [...asList(existing), ...asList(incoming)]) {
    const key = valueKey(value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

function sum(existing: JsonValue | undefined, incoming: JsonValue | undefined, valueType: string | undefined): JsonValue | undefined {
  if (isEmpty(existing)) return incoming;
  if (isEmpty(incoming)) return existing;
  // Schema validation keeps non-numbers out; a non-number here would be a corrupted log.
  if (typeof existing !== 'number' || typeof incoming !== 'number') {
    throw new Error('sum merge strategy met a non-numeric value');
  }
  return saturate(existing + incoming, valueType);
}

/**
 * The largest magnitude a `sum` may reach: the safe integers for integer attributes, the finite
 * numbers otherwise. A PATCH that would pass it is refused; two profiles whose counters add up
 * beyond it merge into the bound (saturate), and the merge event says which attributes did.
 */
export function sumBound(valueType: string | undefined): number {
  return valueType === 'integer' ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE;
}

/** Whether existing + incoming leaves the range the attribute can hold exactly. */
export function sumLeavesRange(rule: MergeRule, existing: JsonValue | undefined, incoming: JsonValue | undefined): boolean {
  if (rule.merge_strategy !== 'sum' || typeof existing !== 'number' || typeof incoming !== 'number') return false;
  const total = existing + incoming;
  return !Number.isFinite(total) || Math.abs(total) > sumBound(rule.value_type);
}

function saturate(total: number, valueType: string | undefined): number {
  const bound = sumBound(valueType);
  if (Number.isNaN(total)) return bound;
  return Math.max(-bound, Math.min(bound, total));
}

/** The oldest values go first so that a profile never grows without bound. */
function capValues(value: JsonValue, maxValues: number | undefined): JsonValue {
  if (!Array.isArray(value) || maxValues === undefined || value.length <= maxValues) return value;
  return value.slice(value.length - maxValues);
}

function asList(value: JsonValue | undefined): JsonValue[] {
  if (isEmpty(value)) return [];
  return Array.isArray(value) ? value : [value as JsonValue];
}

function valueKey(value: JsonValue): string {
  return typeof value === 'object' && value !== null ? `j:${canonicalJson(value)}` : `${typeof value}:${String(value)}`;
}
