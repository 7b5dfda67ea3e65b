import { MergeRule } from '../merge/merge-strategy';
import { ErrorDetail, validationError } from '../shared/errors';
import { isPlainObject, JsonObject, JsonValue } from '../shared/json';
import { attributeKey, AttributeDefinition, isUsableKey, mergeRuleOf, Scope, ValueType } from './attribute';
import { SchemaState } from './schema-state';

/** One attribute value written to a profile, with the merge rule in force when it was written. */
export interface AttributeWrite extends MergeRule {
  scope: Scope;
  application_id?: string;
  attribute: string;
  /** null clears the attribute. */
  value: JsonValue;
}

export const MAX_STRING_LENGTH = 8192;
const MAX_COMPLEX_DEPTH = 16;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const WRITABLE_SCOPES = new Set<string>(['identity_attributes', 'traits', 'application_data']);

/**
 * SPEC §4: validates a PATCH-shaped body (`{traits?, identity_attributes?, application_data?}`)
 * against the tenant schema and returns the writes. Every problem is reported at once; a body
 * with any problem writes nothing.
 */
export function parseAttributeWrites(schema: SchemaState, body: unknown): AttributeWrite[] {
  if (!isPlainObject(body)) throw validationError('invalid_body', 'The body must be a JSON object');
  const details: ErrorDetail[] = [];
  const writes: AttributeWrite[] = [];
  for (const [scope, section] of Object.entries(body)) {
    if (!WRITABLE_SCOPES.has(scope)) {
      details.push({ field: scope, reason: 'not a writable scope (identity_attributes, traits, application_data)' });
      continue;
    }
    if (section === undefined) continue;
    if (!isPlainObject(section)) {
      details.push({ field: scope, reason: 'must be an object' });
      continue;
    }
    if (scope === 'application_data') {
      for (const [appId, attrs] of Object.entries(section)) {
        if (!isPlainObject(attrs)) {
          details.push({ field: `application_data.${appId}`, reason: 'must be an object of attributes' });
          continue;
        }
        collect(schema, 'application_data', attrs, appId, details, writes);
      }
    } else {
      collect(schema, scope as Scope, section, undefined, details, writes);
    }
  }
  if (details.length > 0) throw validationError('invalid_attributes', 'Some attribute values cannot be written', details);
  return writes;
}

function collect(
  schema: SchemaState,
  scope: Scope,
  attrs: JsonObject,
  appId: string | undefined,
  details: ErrorDetail[],
  writes: AttributeWrite[],
): void {
  for (const [name, value] of Object.entries(attrs)) {
    const key = attributeKey(scope, name, appId);
    const def = schema.byKey.get(key);
    if (!def) {
      details.push({ field: key, reason: explainUndefined(schema, scope, name, appId) });
      continue;
    }
    const problem = value === null ? undefined : checkValue(def, value);
    if (problem) {
      details.push({ field: key, reason: problem });
      continue;
    }
    writes.push({
      scope,
      ...(appId !== undefined ? { application_id: appId } : {}),
      attribute: name,
      value,
      ...mergeRuleOf(def),
    });
  }
}

function explainUndefined(schema: SchemaState, scope: Scope, name: string, appId?: string): string {
  const elsewhere = [...schema.byId.values()].find((d) => d.name === name && d.scope !== scope);
  if (elsewhere) return `attribute is defined in scope ${elsewhere.scope}, not ${scope}`;
  if (scope === 'application_data') {
    const otherApp = [...schema.byId.values()].find((d) => d.scope === scope && d.name === name);
    if (otherApp) return `attribute is defined for application ${otherApp.application_identifier}, not ${appId}`;
  }
  return 'attribute is not defined in the profile schema';
}

/** Returns why the value does not fit the definition, or undefined when it does. */
export function checkValue(def: AttributeDefinition, value: JsonValue): string | undefined {
  if (def.multi_valued) {
    if (!Array.isArray(value)) return `multi-valued ${def.value_type} attribute expects an array`;
    for (const item of value) {
      const problem = checkScalar(def.value_type, item);
      if (problem) return `every item: ${problem}`;
    }
    return undefined;
  }
  if (Array.isArray(value)) return `single-valued attribute expects one ${def.value_type}, not an array`;
  return checkScalar(def.value_type, value);
}

function checkScalar(type: ValueType, value: JsonValue): string | undefined {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return 'expects a string';
      return value.length > MAX_STRING_LENGTH ? `string longer than ${MAX_STRING_LENGTH} characters` : undefined;
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : 'expects an integer';
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expects a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expects true or false';
    case 'date_time':
      return typeof value === 'string' && isIsoDateTime(value) ? undefined : 'expects an ISO 8601 date or date-time';
    case 'complex':
      return isPlainObject(value) ? checkComplex(value, 0) : 'expects a JSON object';
    default: {
      const unhandled: never = type;
      return `unknown value type ${String(unhandled)}`;
    }
  }
}

/** Date.parse rolls 30 February over into March, so the calendar date is checked by hand. */
function isIsoDateTime(value: string): boolean {
  if (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Complex values are stored as documents: keys must be safe field names at every depth. */
function checkComplex(value: JsonValue, depth: number): string | undefined {
  if (depth > MAX_COMPLEX_DEPTH) return `nested deeper than ${MAX_COMPLEX_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = checkComplex(item, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('$') || key.includes('.') || key.length === 0) return `key "${key}" may not be empty, start with $ or contain a dot`;
      if (!isUsableKey(key)) return `key "${key}" is a reserved word`;
      const problem = checkComplex(inner, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'string' && value.length > MAX_STRING_LENGTH) return `string longer than ${MAX_STRING_LENGTH} characters`;
  return undefined;
}
