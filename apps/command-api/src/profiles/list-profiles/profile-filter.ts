import { FilterOperator, ProfileFilter } from '@cds/application';
import { attributeKey, isScope, JsonValue, SchemaState, validationError } from '@cds/domain';

const FILTER = /^(\S+)\s+(eq|co|sw)\s+(.+)$/;
const TOP_LEVEL = new Set(['profile_id', 'user_id']);

/**
 * `filter=<attribute> eq|co|sw <value>`: the attribute is `profile_id`, `user_id` or a defined
 * attribute (`traits.interests`, `application_data.<app>.<name>`); the value is typed by the
 * attribute's value type so `traits.age eq 30` finds the number 30.
 */
export function parseFilter(raw: string, schema: SchemaState): ProfileFilter {
  const match = raw.trim().match(FILTER);
  if (!match) throw bad(raw, 'expected "<attribute> eq|co|sw <value>"');
  const [, path, operator, rawValue] = match;
  const text = unquote(rawValue.trim());
  if (TOP_LEVEL.has(path)) return { path, operator: operator as FilterOperator, value: text };
  const [scope, ...rest] = path.split('.');
  if (!isScope(scope) || rest.length !== (scope === 'application_data' ? 2 : 1)) {
    throw bad(raw, 'the attribute is profile_id, user_id, <scope>.<name> or application_data.<app>.<name>');
  }
  const key = scope === 'application_data' ? attributeKey(scope, rest[1], rest[0]) : attributeKey(scope, rest[0]);
  const def = schema.byKey.get(key);
  if (!def) throw bad(raw, `${path} is not a defined attribute`);
  if (operator !== 'eq' && def.value_type !== 'string' && def.value_type !== 'date_time') {
    throw bad(raw, `${operator} applies to text attributes only`);
  }
  return { path, operator: operator as FilterOperator, value: typed(def.value_type, text, raw) };
}

function typed(type: string, text: string, raw: string): JsonValue {
  switch (type) {
    case 'integer':
    case 'decimal': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) throw bad(raw, `expects a ${type}`);
      return n;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw bad(raw, 'expects true or false');
      return text === 'true';
    case 'complex':
      throw bad(raw, 'complex attributes cannot be filtered');
    default:
      return text;
  }
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function bad(raw: string, reason: string) {
  return validationError('invalid_filter', `Cannot filter by "${raw}"`, [{ field: 'filter', reason }]);
}
