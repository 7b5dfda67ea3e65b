import { MergeRule, mergeValues } from '../merge/merge-strategy';
import { attributeKey, Scope } from '../schema/attribute';
import { JsonValue } from '../shared/json';
import { AttributeWrite } from '../schema/value-validation';
import { ProfileAttributes } from './profile-state';

export interface Slot {
  key: string;
  scope: Scope;
  application_id?: string;
  attribute: string;
  value: JsonValue;
}

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

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * Copies only the scope (and application) touched, so folds stay cheap on big profiles. The
 * result is always built as one literal with the three scopes in their usual order: every
 * attributes object then shares one hidden class, which keeps property reads in the fold fast.
 */
export function writeSlot(
  attributes: ProfileAttributes,
  scope: Scope,
  attribute: string,
  appId: string | undefined,
  value: JsonValue | undefined,
): ProfileAttributes {
  switch (scope) {
    case 'identity_attributes':
      return { identity_attributes: withValue(attributes.identity_attributes, attribute, value), traits: attributes.traits, application_data: attributes.application_data };
    case 'traits':
      return { identity_attributes: attributes.identity_attributes, traits: withValue(attributes.traits, attribute, value), application_data: attributes.application_data };
    case 'application_data': {
      if (appId === undefined) return attributes;
      const app = withValue(attributes.application_data[appId] ?? {}, attribute, value);
      const applicationData = Object.keys(app).length === 0 ? withValue(attributes.application_data, appId, undefined) : withValue(attributes.application_data, appId, app);
      return { identity_attributes: attributes.identity_attributes, traits: attributes.traits, application_data: applicationData };
    }
  }
}

/** A PATCH write meets the stored value: existing = stored, incoming = written; null clears. */
export function applyWrite(attributes: ProfileAttributes, write: AttributeWrite): ProfileAttributes {
  const next =
    write.value === null
      ? undefined
      : mergeValues(write, readSlot(attributes, write.scope, write.attribute, write.application_id), write.value);
  return writeSlot(attributes, write.scope, write.attribute, write.application_id, next);
}

/** Two profiles meet: every slot of either side merges by its rule (overwrite when unknown). */
export function mergeAttributes(
  existing: ProfileAttributes,
  incoming: ProfileAttributes,
  rules: Record<string, MergeRule>,
): ProfileAttributes {
  let result = existing;
  for (const slot of slotsOf(incoming)) {
    const rule = rules[slot.key] ?? { merge_strategy: 'overwrite' };
    const current = readSlot(result, slot.scope, slot.attribute, slot.application_id);
    result = writeSlot(result, slot.scope, slot.attribute, slot.application_id, mergeValues(rule, current, slot.value));
  }
  // A slot only the existing side holds keeps its value: every strategy returns existing then.
  return result;
}

/** A copy of `record` with `key` set to `value`, or without `key` when `value` is undefined. */
function withValue<T>(record: Record<string, T>, key: string, value: T | undefined): Record<string, T> {
  if (value !== undefined) return { ...record, [key]: value };
  if (!Object.prototype.hasOwnProperty.call(record, key)) return { ...record };
  // fromEntries defines properties, so a key such as `__proto__` stays a plain key.
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}
