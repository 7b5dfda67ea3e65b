import {
  APPLICATION_ID,
  ATTRIBUTE_NAME,
  JsonValue,
  ProfileState,
  canonicalJson,
  isPlainObject,
  validationError,
} from '@cds/domain';
import { ListPage, ProfileDocument, ProfileFilter } from '../ports/read-model.port';

/**
 * The meaning of read-model filters, in one place. The in-process read model evaluates them
 * directly; the MongoDB one narrows candidates on the server and then applies the same
 * predicate, so both answer alike whatever the server's own matching quirks.
 */

/** Where a filter path points inside a profile's state. */
export type AttributePath =
  | { kind: 'profile_id' }
  | { kind: 'user_id' }
  | { kind: 'identity_attributes' | 'traits'; name: string }
  | { kind: 'application_data'; application: string; name: string };

/**
 * `profile_id`, `user_id`, `identity_attributes.<name>`, `traits.<name>` or
 * `application_data.<app>.<name>`. Anything else is a validation error.
 */
export function parseAttributePath(path: string): AttributePath {
  const parts = path.split('.');
  const [head] = parts;
  if (parts.length === 1 && (head === 'profile_id' || head === 'user_id')) return { kind: head };
  if (parts.length === 2 && (head === 'identity_attributes' || head === 'traits') && ATTRIBUTE_NAME.test(parts[1])) {
    return { kind: head, name: parts[1] };
  }
  if (parts.length === 3 && head === 'application_data' && APPLICATION_ID.test(parts[1]) && ATTRIBUTE_NAME.test(parts[2])) {
    return { kind: head, application: parts[1], name: parts[2] };
  }
  throw validationError('invalid_filter_path', `Unknown attribute path: ${path}`, [
    {
      field: path,
      reason:
        'expected profile_id, user_id, identity_attributes.<name>, traits.<name> or application_data.<app>.<name>',
    },
  ]);
}

/** The dotted field of a path inside a stored `ProfileState`. */
export function stateFieldOf(path: AttributePath): string {
  switch (path.kind) {
    case 'profile_id':
    case 'user_id':
      return path.kind;
    case 'identity_attributes':
    case 'traits':
      return `attributes.${path.kind}.${path.name}`;
    case 'application_data':
      return `attributes.application_data.${path.application}.${path.name}`;
  }
}

/** The value at a path; `undefined` when the profile has none. */
export function valueAt(state: ProfileState, path: AttributePath): JsonValue | undefined {
  switch (path.kind) {
    case 'profile_id':
      return state.profile_id;
    case 'user_id':
      return state.user_id;
    case 'identity_attributes':
    case 'traits':
      return ownValue(state.attributes[path.kind], path.name);
    case 'application_data': {
      const app = ownValue(state.attributes.application_data, path.application);
      return isPlainObject(app) ? ownValue(app, path.name) : undefined;
    }
  }
}

function ownValue(record: Record<string, JsonValue> | undefined, key: string): JsonValue | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** JSON equality: arrays in order, objects whatever their key order, 1 equals 1.0. */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** The stored value, or for a multi-valued attribute each of its values. */
const candidates = (value: JsonValue): JsonValue[] => (Array.isArray(value) ? [value, ...value] : [value]);

/**
 * - `eq`: equal, or for an array one of its elements equal. `eq null` also matches a profile
 *   without the attribute (absent and null are both "empty").
 * - `co` / `sw`: the string, or one string element of an array, contains / starts with the
 *   value. Case-sensitive; never matches non-strings, and a non-string filter value matches nothing.
 */
export function matchesFilter(state: ProfileState, path: AttributePath, filter: Pick<ProfileFilter, 'operator' | 'value'>): boolean {
  const value = valueAt(state, path);
  switch (filter.operator) {
    case 'eq':
      if (value === undefined) return filter.value === null;
      return candidates(value).some((v) => jsonEquals(v, filter.value));
    case 'co':
    case 'sw': {
      const needle = filter.value;
      if (typeof needle !== 'string' || value === undefined) return false;
      const test = filter.operator === 'co' ? (s: string) => s.includes(needle) : (s: string) => s.startsWith(needle);
      return (Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && test(v));
    }
    default:
      throw validationError('invalid_filter_operator', `Unknown filter operator: ${String(filter.operator)}`);
  }
}

export interface CompiledFilter {
  path: AttributePath;
  filter: ProfileFilter;
}

/** Validates every path up front, so a bad filter fails even on an empty tenant. */
export function compileFilters(filters: ProfileFilter[]): CompiledFilter[] {
  return filters.map((filter) => {
    const path = parseAttributePath(filter.path);
    if (filter.operator !== 'eq' && filter.operator !== 'co' && filter.operator !== 'sw') {
      throw validationError('invalid_filter_operator', `Unknown filter operator: ${String(filter.operator)}`);
    }
    return { path, filter };
  });
}

export function matchesAll(state: ProfileState, filters: CompiledFilter[]): boolean {
  return filters.every(({ path, filter }) => matchesFilter(state, path, filter));
}

/** Profile ids are ordered by code unit, like MongoDB's default binary string order for ASCII ids. */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A page of `pageSize` items may have more after it; a shorter one is the last. */
export function toListPage(items: ProfileDocument[], pageSize: number): ListPage {
  return items.length === pageSize && items.length > 0 ? { items, nextAfter: items[items.length - 1].profile_id } : { items };
}
