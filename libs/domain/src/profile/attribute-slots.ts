import { MergeRule, mergeValues } from '../merge/merge-strategy';
import { attributeKey, Scope } from '../schema/attribute';
import { JsonValue, setOwnValue } from '../shared/json';
import { AttributeWrite } from '../schema/value-validation';
import { ProfileAttributes } from './profile-state';

export interface Slot {
  key: string;
  scope: Scope;
  application_id?: string;
  attribute: string;
  value: JsonValue;
}

type Section = Record<string, JsonValue>;

/** Every attribute value a profile holds, with its slot key. */
export function slotsOf(attributes: ProfileAttributes): Slot[] {
  const slots: Slot[] = [];
  for (const scope of ['identity_attributes', 'traits'] as const) {
    for (const [attribute, value] of Object.entries(attributes[scope])) {
      slots.push({ key: attributeKey(scope, attribute), scope, attribute, value });
    }
  }
  for (const [appId, attrs] of Object.entries(attributes.application_data)) {
    for (const [attribute, value] of Object.entries(attrs)) {
      slots.push({ key: attributeKey('application_data', attribute, appId), scope: 'application_data', application_id: appId, attribute, value });
    }
  }
  return slots;
}

export function readSlot(attributes: ProfileAttributes, scope: Scope, attribute: string, appId?: string): JsonValue | undefined {
  const section = scope === 'application_data' ? (appId === undefined ? undefined : own(attributes.application_data, appId)) : attributes[scope];
  return section === undefined ? undefined : own(section, attribute);
}

/** A PATCH write meets the stored value: existing = stored, incoming = written; null clears. */
export function applyWrite(attributes: ProfileAttributes, write: AttributeWrite): ProfileAttributes {
  return applyWrites(attributes, [write]);
}

/** The writes of one PATCH, in order, each meeting what the ones before it left. */
export function applyWrites(attributes: ProfileAttributes, writes: readonly AttributeWrite[]): ProfileAttributes {
  const draft = new AttributesDraft(attributes);
  for (let i = 0; i < writes.length; i++) {
    const write = writes[i];
    const next = write.value === null ? undefined : mergeValues(write, draft.read(write.scope, write.attribute, write.application_id), write.value);
    draft.write(write.scope, write.attribute, write.application_id, next);
  }
  return draft.result();
}

const OVERWRITE: MergeRule = Object.freeze({ merge_strategy: 'overwrite' });

/** Two profiles meet: every slot of either side merges by its rule (overwrite when unknown). */
export function mergeAttributes(
  existing: ProfileAttributes,
  incoming: ProfileAttributes,
  rules: Record<string, MergeRule>,
): ProfileAttributes {
  const draft = new AttributesDraft(existing);
  for (const slot of slotsOf(incoming)) {
    const rule = own(rules, slot.key) ?? OVERWRITE;
    draft.write(slot.scope, slot.attribute, slot.application_id, mergeValues(rule, draft.read(slot.scope, slot.attribute, slot.application_id), slot.value));
  }
  // A slot only the existing side holds keeps its value: every strategy returns existing then.
  return draft.result();
}

/**
 * Attributes being changed by a sequence of writes. Each section (a scope, or one application's
 * data) is copied the first time a write changes it and changed in place after that, so an event
 * with several writes copies what it changes once, and the attributes it started from are never
 * touched. Every write has the effect of writing it alone onto the result of the writes before:
 * a new key goes last, a cleared key is removed, and an application left without data is removed.
 * The result is always built as one literal with the three scopes in their usual order: every
 * attributes object then shares one hidden class, which keeps property reads in the fold fast.
 */
class AttributesDraft {
  private identity: Section;
  private traits: Section;
  private applications: Record<string, Section>;
  /** The sections this draft made, which it may change in place (a few at most: a list is cheaper than a set). */
  private readonly copies: object[] = [];

  constructor(attributes: ProfileAttributes) {
    this.identity = attributes.identity_attributes;
    this.traits = attributes.traits;
    this.applications = attributes.application_data;
  }

  read(scope: Scope, attribute: string, appId: string | undefined): JsonValue | undefined {
    const section = this.section(scope, appId);
    return section === undefined ? undefined : own(section, attribute);
  }

  write(scope: Scope, attribute: string, appId: string | undefined, value: JsonValue | undefined): void {
    switch (scope) {
      case 'identity_attributes':
        this.identity = this.withValue(this.identity, attribute, value);
        return;
      case 'traits':
        this.traits = this.withValue(this.traits, attribute, value);
        return;
      case 'application_data': {
        if (appId === undefined) return;
        const app = this.withValue(own(this.applications, appId) ?? {}, attribute, value);
        const emptied = value === undefined && Object.keys(app).length === 0;
        this.applications = this.withValue(this.applications, appId, emptied ? undefined : app);
        return;
      }
    }
  }

  result(): ProfileAttributes {
    return { identity_attributes: this.identity, traits: this.traits, application_data: this.applications };
  }

  private section(scope: Scope, appId: string | undefined): Section | undefined {
    switch (scope) {
      case 'identity_attributes':
        return this.identity;
      case 'traits':
        return this.traits;
      case 'application_data':
        return appId === undefined ? undefined : own(this.applications, appId);
    }
  }

  /** `record` with `key` set to `value` (or without `key` when undefined): changed in place when this draft made it. */
  private withValue<T>(record: Record<string, T>, key: string, value: T | undefined): Record<string, T> {
    if (value === undefined) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) return record;
      // fromEntries defines properties, so a key such as `__proto__` stays a plain key.
      return this.made(Object.fromEntries(Object.entries(record).filter(([name]) => name !== key)));
    }
    const target = this.copies.includes(record) ? record : this.made({ ...record });
    setOwnValue(target, key, value);
    return target;
  }

  private made<T extends object>(copy: T): T {
    this.copies.push(copy);
    return copy;
  }
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
