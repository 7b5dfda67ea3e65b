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

/** Copies only the scope (and application) touched, so folds stay cheap on big profiles. */
export function writeSlot(
  attributes: ProfileAttributes,
  scope: Scope,
  attribute: string,
  appId: string | undefined,
  value: JsonValue | undefined,
): ProfileAttributes {
  if (scope === 'application_data') {
    if (appId === undefined) return attributes;
    const app = { ...(attributes.application_data[appId] ?? {}) };
    setOrDelete(app, attribute, value);
    const applicationData = { ...attributes.application_data, [appId]: app };
    if (Object.keys(app).length === 0) delete applicationData[appId];
    return { ...attributes, application_data: applicationData };
  }
  const section = { ...attributes[scope] };
  setOrDelete(section, attribute, value);
  return { ...attributes, [scope]: section };
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

function setOrDelete(target: Record<string, JsonValue>, key: string, value: JsonValue | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
