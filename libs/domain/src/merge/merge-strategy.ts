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

/** Ordered union, existing first, duplicates (equal JSON values) dropped. */
function combine(existing: JsonValue | undefined, incoming: JsonValue | undefined): JsonValue[] {
  const union = new DistinctValues();
  union.addAll(existing);
  union.addAll(incoming);
  return union.values;
}

/** Up to this many values, a new primitive is compared with each one kept so far: cheaper than a set. */
const LINEAR_SCAN_LIMIT = 16;

/**
 * Values in first-seen order without duplicates. Primitives are equal when `===` (so 1 and "1"
 * differ); objects and arrays when their canonical JSON is, whatever their key order.
 */
class DistinctValues {
  readonly values: JsonValue[] = [];
  /** The primitives kept, once there are too many values to scan. */
  private primitives: Set<JsonValue> | undefined;
  /** Canonical JSON of the objects and arrays kept. */
  private composites: Set<string> | undefined;

  addAll(value: JsonValue | undefined): void {
    if (isEmpty(value)) return;
    if (Array.isArray(value)) for (const item of value) this.add(item);
    else this.add(value as JsonValue);
  }

  private add(value: JsonValue): void {
    if (typeof value === 'object' && value !== null) {
      const key = canonicalJson(value);
      this.composites ??= new Set();
      if (this.composites.has(key)) return;
      this.composites.add(key);
    } else if (this.isKept(value)) {
      return;
    }
    this.values.push(value);
  }

  private isKept(primitive: JsonValue): boolean {
    if (this.primitives === undefined && this.values.length < LINEAR_SCAN_LIMIT) return this.values.includes(primitive);
    this.primitives ??= new Set(this.values.filter((kept) => typeof kept !== 'object' || kept === null));
    if (this.primitives.has(primitive)) return true;
    this.primitives.add(primitive);
    return false;
  }
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
