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
 * can be observed (frozen states included: what is built is kept beside them, not in them), and a
 * state whose maps were read keeps no predecessor alive.
 */
class FoldedSchema implements SchemaState {
  get byId(): ReadonlyMap<string, AttributeDefinition> {
    return indexesOf(this).byId;
  }

  get byKey(): ReadonlyMap<string, AttributeDefinition> {
    return indexesOf(this).byKey;
  }
}

/** The maps of the states that were read. */
const built = new WeakMap<SchemaState, Indexes>();
/** The predecessor and event of each state not read yet. */
const pending = new WeakMap<SchemaState, { previous: SchemaState; event: SchemaEvent }>();

function indexesOf(state: FoldedSchema): Indexes {
  const known = built.get(state);
  if (known) return known;
  // Walk back to the nearest state with maps, collecting the events since (newest first).
  const events: SchemaEvent[] = [];
  let step = pending.get(state);
  let base: SchemaState = emptySchema;
  while (step !== undefined) {
    events.push(step.event);
    const previous = step.previous;
    if (previous instanceof FoldedSchema && !built.has(previous)) {
      step = pending.get(previous);
    } else {
      base = previous;
      step = undefined;
    }
  }
  const indexes: Indexes = { byId: new Map(base.byId), byKey: new Map(base.byKey) };
  for (let i = events.length - 1; i >= 0; i--) apply(indexes, events[i]);
  built.set(state, indexes);
  pending.delete(state);
  return indexes;
}

export const emptySchema: SchemaState = new FoldedSchema();
built.set(emptySchema, { byId: new Map(), byKey: new Map() });

export function evolveSchema(state: SchemaState, event: SchemaEvent): SchemaState {
  const next = new FoldedSchema();
  pending.set(next, { previous: state, event });
  return next;
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
