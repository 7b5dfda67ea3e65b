import { assertNever } from '../shared/errors';
import { AttributeDefinition, definitionKey, Scope } from './attribute';
import { SchemaEvent } from './schema-events';

export interface SchemaState {
  /** By attribute_id, in definition order. */
  readonly byId: ReadonlyMap<string, AttributeDefinition>;
  /** By scope/application/name key, for validating writes. */
  readonly byKey: ReadonlyMap<string, AttributeDefinition>;
}

export const emptySchema: SchemaState = { byId: new Map(), byKey: new Map() };

export function evolveSchema(state: SchemaState, event: SchemaEvent): SchemaState {
  switch (event.type) {
    case 'AttributeDefined':
    case 'AttributeRedefined': {
      const def = event.data.definition;
      const byId = new Map(state.byId).set(def.attribute_id, def);
      const byKey = new Map(state.byKey).set(definitionKey(def), def);
      return { byId, byKey };
    }
    case 'AttributeRemoved': {
      const def = state.byId.get(event.data.attribute_id);
      if (!def) return state;
      const byId = new Map(state.byId);
      byId.delete(def.attribute_id);
      const byKey = new Map(state.byKey);
      byKey.delete(definitionKey(def));
      return { byId, byKey };
    }
    default:
      return assertNever(event);
  }
}

export function definitionsInScope(state: SchemaState, scope?: Scope): AttributeDefinition[] {
  return [...state.byId.values()].filter((d) => scope === undefined || d.scope === scope);
}
