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
  const merged = mergeByStrategy(rule.merge_strategy, existing, incoming);
  if (isEmpty(merged)) return undefined;
  return capValues(merged as JsonValue, rule.max_values);
}

function mergeByStrategy(
  strategy: MergeStrategy,
  existing: JsonValue | undefined,
  incoming: JsonValue | undefined,
): JsonValue | undefined {
  switch (strategy) {
    case 'combine':
      return combine(existing, incoming);
    case 'overwrite':
      return isEmpty(incoming) ? existing : incoming;
    case 'oldest':
      return isEmpty(existing) ? incoming : existing;
    case 'sum':
      return sum(existing, incoming);
    default:
      return assertNever(strategy);
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

function sum(existing: JsonValue | undefined, incoming: JsonValue | undefined): JsonValue | undefined {
  if (isEmpty(existing)) return incoming;
  if (isEmpty(incoming)) return existing;
  // Schema validation keeps non-numbers out; a non-number here would be a corrupted log.
  if (typeof existing !== 'number' || typeof incoming !== 'number') {
    throw new Error('sum merge strategy met a non-numeric value');
  }
  return existing + incoming;
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
