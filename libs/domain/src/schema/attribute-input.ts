import { DEFAULT_MAX_VALUES, MERGE_STRATEGIES, MergeStrategy } from '../merge/merge-strategy';
import { ErrorDetail, validationError } from '../shared/errors';
import { isPlainObject } from '../shared/json';
import {
  APPLICATION_ID,
  ATTRIBUTE_NAME,
  isUsableKey,
  AttributeDefinition,
  Scope,
  VALUE_TYPES,
  ValueType,
} from './attribute';

export const MAX_VALUES_LIMIT = 100_000;
export const MAX_DESCRIPTION_LENGTH = 1024;
const ALLOWED_FIELDS = new Set([
  'attribute_name',
  'value_type',
  'multi_valued',
  'merge_strategy',
  'max_values',
  'application_identifier',
  'description',
]);

/**
 * Turns one attribute object of a schema request into a definition, or lists every reason it
 * cannot be one. `attribute_name` may carry its scope (`traits.interests`), which must then be
 * the scope of the path.
 */
export function parseAttributeInput(
  scope: Scope,
  input: unknown,
  attributeId: string,
  index?: number,
): AttributeDefinition {
  if (!isPlainObject(input)) {
    throw validationError('invalid_attribute', 'An attribute definition must be a JSON object', [
      { field: index === undefined ? undefined : `[${index}]`, reason: 'not an object' },
    ]);
  }
  const details = checkAttributeInput(scope, input, index);
  if (details.length > 0) throw validationError('invalid_attribute', 'The attribute definition is not valid', details);

  const name = nameOf(input.attribute_name as string);
  const multiValued = (input.multi_valued as boolean | undefined) ?? false;
  return {
    attribute_id: attributeId,
    attribute_name: `${scope}.${name}`,
    scope,
    name,
    value_type: input.value_type as ValueType,
    multi_valued: multiValued,
    merge_strategy: input.merge_strategy as MergeStrategy,
    ...(multiValued ? { max_values: (input.max_values as number | undefined) ?? DEFAULT_MAX_VALUES } : {}),
    ...(scope === 'application_data' ? { application_identifier: input.application_identifier as string } : {}),
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
  };
}

/**
 * Every reason an attribute object cannot define an attribute of `scope`, in the words the API
 * answers with; none when it can. Fields are prefixed with `[index].` for an item of a batch.
 * The web console runs the same check before it sends anything.
 */
export function checkAttributeInput(scope: Scope, input: unknown, index?: number): ErrorDetail[] {
  const at = (field: string) => (index === undefined ? field : `[${index}].${field}`);
  if (!isPlainObject(input)) return [{ field: index === undefined ? undefined : `[${index}]`, reason: 'not an object' }];
  const details: ErrorDetail[] = [];
  for (const key of Object.keys(input)) {
    if (!ALLOWED_FIELDS.has(key)) details.push({ field: at(key), reason: 'unknown field' });
  }

  checkName(scope, input.attribute_name, details, at('attribute_name'));
  const valueType = input.value_type;
  if (!(VALUE_TYPES as readonly unknown[]).includes(valueType)) {
    details.push({ field: at('value_type'), reason: `must be one of ${VALUE_TYPES.join(', ')}` });
  }
  const multiValued = input.multi_valued ?? false;
  if (typeof multiValued !== 'boolean') details.push({ field: at('multi_valued'), reason: 'must be a boolean' });
  const strategy = input.merge_strategy;
  if (!(MERGE_STRATEGIES as readonly unknown[]).includes(strategy)) {
    details.push({ field: at('merge_strategy'), reason: `must be one of ${MERGE_STRATEGIES.join(', ')}` });
  }
  if (strategy === 'combine' && multiValued !== true) {
    details.push({ field: at('merge_strategy'), reason: 'combine requires multi_valued: true' });
  }
  if (strategy === 'sum' && (multiValued === true || (valueType !== 'integer' && valueType !== 'decimal'))) {
    details.push({ field: at('merge_strategy'), reason: 'sum requires a single-valued integer or decimal attribute' });
  }
  const maxValues = input.max_values;
  if (maxValues !== undefined) {
    if (multiValued !== true) details.push({ field: at('max_values'), reason: 'only multi-valued attributes have max_values' });
    else if (!Number.isInteger(maxValues) || (maxValues as number) < 1 || (maxValues as number) > MAX_VALUES_LIMIT) {
      details.push({ field: at('max_values'), reason: `must be an integer from 1 to ${MAX_VALUES_LIMIT}` });
    }
  }
  const appId = input.application_identifier;
  if (scope === 'application_data') {
    if (typeof appId !== 'string' || !APPLICATION_ID.test(appId)) {
      details.push({ field: at('application_identifier'), reason: 'application_data attributes need the application client id (letters, digits, _ and -)' });
    }
  } else if (appId !== undefined && appId !== null) {
    details.push({ field: at('application_identifier'), reason: `only application_data attributes have one, not ${scope}` });
  }
  const description = input.description;
  if (description !== undefined && (typeof description !== 'string' || description.length > MAX_DESCRIPTION_LENGTH)) {
    details.push({ field: at('description'), reason: `must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters` });
  }
  return details;
}

/** The name inside its scope: `traits.interests` → `interests`. */
function nameOf(attributeName: string): string {
  const dot = attributeName.indexOf('.');
  return dot === -1 ? attributeName : attributeName.slice(dot + 1);
}

function checkName(scope: Scope, raw: unknown, details: ErrorDetail[], field: string): void {
  if (typeof raw !== 'string' || raw.length === 0) {
    details.push({ field, reason: 'required string' });
    return;
  }
  const dot = raw.indexOf('.');
  const name = nameOf(raw);
  if (dot !== -1 && raw.slice(0, dot) !== scope) {
    details.push({ field, reason: `belongs to scope ${raw.slice(0, dot)}, not ${scope}` });
  }
  if (!ATTRIBUTE_NAME.test(name) || !isUsableKey(name)) {
    details.push({ field, reason: 'a name is a letter or _ then up to 63 letters, digits or _ (no $ or dots), and not a reserved word such as constructor or toString' });
  }
}
