import { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { Json } from './schemas';

interface Rule {
  propertyName: string;
  type: string;
  name?: string;
  constraints?: unknown[];
  each?: boolean;
}

/** DTO fields (by class prototype) documented as nullable. */
const nullableFields = new WeakMap<object, Set<string | symbol>>();

/** Marks an optional DTO field whose `null` means something (it clears a value): documented as nullable. */
export function AcceptsNull(): PropertyDecorator {
  return (target, property) => {
    nullableFields.set(target, (nullableFields.get(target) ?? new Set()).add(property));
  };
}

/**
 * A JSON schema of a DTO, read from its class-validator decorators: the validation the app runs
 * is the documentation, so the two cannot drift. Unknown fields are a 400 (the validation pipe
 * forbids them), hence `additionalProperties: false`.
 */
export function dtoSchema(dto: Type): Json {
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false) as unknown as Rule[];
  const properties: Record<string, Json> = {};
  const optional = new Set<string>();
  for (const rule of rules) {
    const property = (properties[rule.propertyName] ??= {});
    if (rule.type === 'conditionalValidation' && rule.name === 'isOptional') optional.add(rule.propertyName);
    if (rule.type !== 'customValidation' || !rule.name) continue;
    const target = rule.each ? ((property.items ??= {}) as Json) : property;
    if (rule.each) property.type = 'array';
    Object.assign(target, keywordsFor(rule.name, rule.constraints ?? []));
  }
  const required = Object.keys(properties).filter((name) => !optional.has(name));
  for (const name of nullableFields.get(dto.prototype) ?? []) if (typeof name === 'string' && properties[name]) properties[name] = { oneOf: [properties[name], { type: 'null' }] };
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function keywordsFor(name: string, [first, second]: unknown[]): Json {
  switch (name) {
    case 'isString':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isInt':
      return { type: 'integer' };
    case 'isNumber':
      return { type: 'number' };
    case 'isArray':
      return { type: 'array' };
    case 'isObject':
      return { type: 'object' };
    case 'isUUID':
      return { type: 'string', format: 'uuid' };
    case 'isIn':
      return { enum: first as unknown[] };
    case 'isLength':
      return { minLength: first, ...(second !== undefined ? { maxLength: second } : {}) };
    case 'minLength':
      return { minLength: first };
    case 'maxLength':
      return { maxLength: first };
    case 'min':
      return { minimum: first };
    case 'max':
      return { maximum: first };
    case 'arrayMinSize':
      return { minItems: first };
    case 'arrayMaxSize':
      return { maxItems: first };
    default:
      return {};
  }
}
