import { MergeRule } from '../merge/merge-strategy';
import { mergeRuleOf } from '../schema/attribute';
import { SchemaState } from '../schema/schema-state';
import { slotsOf } from './attribute-slots';
import { ProfileState } from './profile-state';

export interface MergeSides {
  survivor: ProfileState;
  merged: ProfileState;
}

/**
 * SPEC §5: the survivor is the profile with a user_id when exactly one has one, otherwise the
 * older one (ties broken by id so every node picks the same).
 */
export function chooseSurvivor(a: ProfileState, b: ProfileState): MergeSides {
  if ((a.user_id === null) !== (b.user_id === null)) {
    return a.user_id !== null ? { survivor: a, merged: b } : { survivor: b, merged: a };
  }
  const aFirst = a.created_at < b.created_at || (a.created_at === b.created_at && a.profile_id < b.profile_id);
  return aFirst ? { survivor: a, merged: b } : { survivor: b, merged: a };
}

/** The merge rule of every slot either profile holds, as the schema says now. */
export function mergeRulesFor(schema: SchemaState, ...profiles: ProfileState[]): Record<string, MergeRule> {
  const rules: Record<string, MergeRule> = {};
  for (const profile of profiles) {
    for (const slot of slotsOf(profile.attributes)) {
      const def = schema.byKey.get(slot.key);
      // A slot whose definition was removed keeps the latest value.
      rules[slot.key] = def ? mergeRuleOf(def) : { merge_strategy: 'overwrite' };
    }
  }
  return rules;
}
