import { assertNever } from '../shared/errors';
import { AttributeDefinition, definitionKey, Scope } from './attribute';
import { SchemaEvent } from './schema-events';

export interface SchemaState {
  /** By attribute_id, in definition order. */
  readonly byId: ReadonlyMap<string, AttributeDefinition>;
  /** By scope/application/name key, for validating writes. */
  readonly byKey: ReadonlyMap<string, AttributeDefinition>;
}

interface Indexes {
  byId: Map<string, AttributeDefinition>;
  byKey: Map<string, AttributeDefinition>;
}

/**
 * A schema state is its predecessor plus one event; its maps are built when first read, by
 * copying the nearest built predecessor once and applying the events since. Folding n events is
 * then linear, where copying both maps on every event would be quadratic (a request defining
 * thousands of attributes took seconds). States stay values: building one changes nothing that
 * can be observed, and a state whose maps were read keeps no predecessors alive.
 */
class FoldedSchema implements SchemaState {
  private indexes: Indexes | null;
  private pending: { previous: SchemaState; event: SchemaEvent } | null;

  constructor(indexes: Indexes | null, pending: { previous: SchemaState; event: SchemaEvent } | null) {
    this.indexes = indexes;
    this.pending = pending;
  }

  get byId(): ReadonlyMap<string, AttributeDefinition> {
    return this.built().byId;
  }

  get byKey(): ReadonlyMap<string, AttributeDefinition> {
    return this.built().byKey;
  }

  private built(): Indexes {
    if (this.indexes !== null) return this.indexes;
    // Walk back to the nearest state with maps, collecting the events since (newest first).
    const events: SchemaEvent[] = [];
    let step = this.pending;
    let base: SchemaState = emptySchema;
    while (step !== null) {
      events.push(step.event);
      const previous: SchemaState = step.previous;
      if (previous instanceof FoldedSchema && previous.indexes === null) {
        step = previous.pending;
      } else {
        base = previous;
        step = null;
      }
    }
    const indexes: Indexes = { byId: new Map(base.byId), byKey: new Map(base.byKey) };
    for (let i = events.length - 1; i >= 0; i--) apply(indexes, events[i]);
    this.indexes = indexes;
    this.pending = null;
    return indexes;
  }
}

export const emptySchema: SchemaState = new FoldedSchema({ byId: new Map(), byKey: new Map() }, null);

export function evolveSchema(state: SchemaState, event: SchemaEvent): SchemaState {
  return new FoldedSchema(null, { previous: state, event });
}

function apply(indexes: Indexes, event: SchemaEvent): void {
  switch (event.type) {
    case 'AttributeDefined':
    case 'AttributeRedefined': {
      const def = event.data.definition;
      indexes.byId.set(def.attribute_id, def);
      indexes.byKey.set(definitionKey(def), def);
      return;
    }
    case 'AttributeRemoved': {
      const def = indexes.byId.get(event.data.attribute_id);
      if (!def) return;
      indexes.byId.delete(def.attribute_id);
      indexes.byKey.delete(definitionKey(def));
      return;
    }
    default:
      assertNever(event);
  }
}

export function definitionsInScope(state: SchemaState, scope?: Scope): AttributeDefinition[] {
  return [...state.byId.values()].filter((d) => scope === undefined || d.scope === scope);
}
