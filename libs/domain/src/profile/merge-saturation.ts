import { MergeRule, sumLeavesRange } from '../merge/merge-strategy';
import { readSlot, slotsOf } from './attribute-slots';
import { ProfileAttributes } from './profile-state';

/** The `sum` slots whose two sides add up beyond their bound when two profiles meet (they saturate). */
export function saturatedSlots(existing: ProfileAttributes, incoming: ProfileAttributes, rules: Record<string, MergeRule>): string[] {
  const saturated: string[] = [];
  for (const slot of slotsOf(incoming)) {
    const rule = rules[slot.key];
    if (rule && sumLeavesRange(rule, readSlot(existing, slot.scope, slot.attribute, slot.application_id), slot.value)) saturated.push(slot.key);
  }
  return saturated;
}
