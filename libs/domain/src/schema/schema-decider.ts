import { conflict, notFound, validationError } from '../shared/errors';
import { isPlainObject } from '../shared/json';
import { AttributeDefinition, definitionKey, Scope } from './attribute';
import { parseAttributeInput } from './attribute-input';
import { SchemaEvent } from './schema-events';
import { emptySchema, evolveSchema, SchemaState } from './schema-state';
import { Decider } from '../decider/decider';

export type SchemaCommand =
  | { type: 'DefineAttributes'; scope: Scope; inputs: unknown[]; attributeIds: string[]; at: string }
  | { type: 'RedefineAttribute'; attributeId: string; input: unknown; at: string }
  | {
      type: 'RemoveAttribute';
      attributeId: string;
      /** Names of the unification rules (active or not) whose property is this attribute. */
      usedByRules: readonly string[];
      at: string;
    };

/** At most this many definitions in one request: a batch is validated and appended as one. */
export const MAX_DEFINITIONS_PER_REQUEST = 1000;

/** Fields a definition keeps for life: changing them would reinterpret values already in the log. */
const FIXED_FIELDS = ['attribute_name', 'value_type', 'application_identifier'] as const;

export function decideSchema(command: SchemaCommand, state: SchemaState): SchemaEvent[] {
  switch (command.type) {
    case 'DefineAttributes':
      return defineAttributes(command, state);
    case 'RedefineAttribute':
      return [{ type: 'AttributeRedefined', data: { definition: redefine(command, state), at: command.at } }];
    case 'RemoveAttribute':
      return [{ type: 'AttributeRemoved', data: { attribute_id: removable(command, state).attribute_id, at: command.at } }];
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled schema command ${JSON.stringify(unhandled)}`);
    }
  }
}

function defineAttributes(
  command: Extract<SchemaCommand, { type: 'DefineAttributes' }>,
  state: SchemaState,
): SchemaEvent[] {
  if (command.inputs.length === 0) throw validationError('empty_request', 'No attribute to define');
  if (command.inputs.length > MAX_DEFINITIONS_PER_REQUEST) {
    throw validationError(
      'too_many_attributes',
      `At most ${MAX_DEFINITIONS_PER_REQUEST} attributes can be defined in one request, not ${command.inputs.length}; send them in several`,
    );
  }
  const batch = command.inputs.length > 1;
  const defs = command.inputs.map((input, i) =>
    parseAttributeInput(command.scope, input, command.attributeIds[i], batch ? i : undefined),
  );
  const seen = new Set<string>();
  for (const def of defs) {
    const key = definitionKey(def);
    if (state.byKey.has(key) || seen.has(key)) {
      throw conflict('attribute_exists', `Attribute ${describe(def)} is already defined`, [
        { field: 'attribute_name', reason: 'already defined' },
      ]);
    }
    seen.add(key);
  }
  return defs.map((definition) => ({ type: 'AttributeDefined', data: { definition, at: command.at } }));
}

function redefine(
  command: Extract<SchemaCommand, { type: 'RedefineAttribute' }>,
  state: SchemaState,
): AttributeDefinition {
  const current = requireDefinition(state, command.attributeId);
  const input = isPlainObject(command.input)
    ? { attribute_name: current.attribute_name, value_type: current.value_type, ...command.input }
    : command.input;
  if (current.application_identifier && isPlainObject(input) && input.application_identifier === undefined) {
    input.application_identifier = current.application_identifier;
  }
  const next = parseAttributeInput(current.scope, input, current.attribute_id);
  for (const field of FIXED_FIELDS) {
    if (next[field] !== current[field]) {
      throw conflict('attribute_field_fixed', `${field} of an attribute cannot change; define a new attribute instead`, [
        { field, reason: 'fixed once defined' },
      ]);
    }
  }
  if (current.multi_valued && !next.multi_valued) {
    throw conflict('attribute_field_fixed', 'A multi-valued attribute cannot become single-valued', [
      { field: 'multi_valued', reason: 'stored values are lists' },
    ]);
  }
  return next;
}

/** A rule matches profiles on its property: removing the attribute under it would leave the rule matching nothing. */
function removable(command: Extract<SchemaCommand, { type: 'RemoveAttribute' }>, state: SchemaState): AttributeDefinition {
  const definition = requireDefinition(state, command.attributeId);
  if (command.usedByRules.length > 0) {
    const names = command.usedByRules.map((name) => `"${name}"`).join(', ');
    throw conflict('attribute_in_use', `Attribute ${definition.attribute_name} is the property of unification rule ${names}; remove the rule first`, command.usedByRules.map((name) => ({ field: 'rule_name', reason: name })));
  }
  return definition;
}

function requireDefinition(state: SchemaState, attributeId: string): AttributeDefinition {
  const def = state.byId.get(attributeId);
  if (!def) throw notFound('attribute_not_found', `No attribute ${attributeId}`);
  return def;
}

function describe(def: AttributeDefinition): string {
  return def.application_identifier ? `${def.attribute_name} of application ${def.application_identifier}` : def.attribute_name;
}

/** A tenant's attribute schema stream as a decider. */
export const schemaDecider: Decider<SchemaCommand, SchemaEvent, SchemaState> = {
  decide: decideSchema,
  evolve: evolveSchema,
  initialState: () => emptySchema,
};
