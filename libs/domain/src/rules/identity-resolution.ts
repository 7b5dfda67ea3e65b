import { MergeBlockReason } from '../profile/profile-events';
import { ProfileState } from '../profile/profile-state';
import { compareByPriority, parseRuleProperty, UnificationRule } from './unification-rule';

/**
 * Seed 002 "How profile merging works", as pure functions over profile states. The caller
 * (the merge attempt) finds candidates and serializes merges; these functions only decide.
 */

/** A blocked match; `safeguard` when a safeguard (not an identity conflict) blocked it, which is recorded. */
export type MergeVerdict = { allowed: true } | { allowed: false; reason: string; safeguard?: MergeBlockReason };

export interface RuleMatch {
  rule: UnificationRule;
  candidate: ProfileState;
}

/** Called for each match a check blocked, in evaluation order (to record safeguards, for diagnostics). */
export type BlockedMatchListener = (rule: UnificationRule, candidate: ProfileState, verdict: Extract<MergeVerdict, { allowed: false }>) => void;

/**
 * The profile's value for the rule's property, or undefined when it has none. Only non-empty
 * strings identify (seed 002: only text fields can be identities); anything else counts as empty,
 * and so does a value the rule blocks: it never matches, and never conflicts.
 */
export function ruleValue(state: ProfileState, rule: Pick<UnificationRule, 'property_name' | 'blocked_values'>): string | undefined {
  const property = parseRuleProperty(rule.property_name);
  if (!property) return undefined;
  const values = state.attributes[property.scope];
  if (!values || !Object.prototype.hasOwnProperty.call(values, property.name)) return undefined;
  const value = values[property.name];
  if (typeof value !== 'string' || value.length === 0 || rule.blocked_values?.includes(value)) return undefined;
  return value;
}

/** The profiles a unified profile is made of: itself and every profile merged into it. */
function membersOf(state: ProfileState): Set<string> {
  return new Set([state.profile_id, ...state.absorbed, ...state.merged_from.map((m) => m.profile_id)]);
}

/** Whether a split separated any profile of one side from any of the other (until a manual merge). */
export function keptApart(a: ProfileState, b: ProfileState): boolean {
  const [ofA, ofB] = [membersOf(a), membersOf(b)];
  return a.kept_apart.some((id) => ofB.has(id)) || b.kept_apart.some((id) => ofA.has(id));
}

/** How many profiles a unified profile holds that were joined through the rule (a merge joins two). */
function joinedThrough(state: ProfileState, rule: UnificationRule): number {
  return state.merged_from.filter((m) => m.reason.kind === 'rule' && (m.reason.rule_id === undefined ? m.reason.rule_name === rule.rule_name : m.reason.rule_id === rule.rule_id)).length;
}

/**
 * Whether `trigger` may merge with `candidate`, which matched on `matchingRule`:
 * - different non-null user_ids always block (the member/customer constraint, above every rule);
 * - every active immutable rule whose property both profiles hold, with different values, blocks,
 *   whatever its priority;
 * - an active mutable rule whose values conflict blocks only when it outranks the matching rule
 *   (a lower priority number: "Role of identity priority", case 2);
 * - an empty value is never a conflict. Values compare exactly, case included.
 */
export function checkMergeAllowed(
  trigger: ProfileState,
  candidate: ProfileState,
  matchingRule: UnificationRule,
  allActiveRules: readonly UnificationRule[],
): MergeVerdict {
  if (trigger.user_id !== null && candidate.user_id !== null && trigger.user_id !== candidate.user_id) {
    return { allowed: false, reason: 'the profiles belong to different users (user_id)' };
  }
  if (keptApart(trigger, candidate)) {
    return { allowed: false, reason: 'the profiles were split apart; only a manual merge joins them again', safeguard: 'kept_apart' };
  }
  const limit = matchingRule.max_profiles;
  if (typeof limit === 'number' && joinedThrough(trigger, matchingRule) + joinedThrough(candidate, matchingRule) + 2 > limit) {
    return { allowed: false, reason: `rule "${matchingRule.rule_name}" joins at most ${limit} profiles into one`, safeguard: 'max_profiles' };
  }
  for (const rule of [...allActiveRules].sort(compareByPriority)) {
    if (!rule.is_active) continue;
    const mine = ruleValue(trigger, rule);
    const theirs = ruleValue(candidate, rule);
    if (mine === undefined || theirs === undefined || mine === theirs) continue;
    if (rule.immutable) {
      return {
        allowed: false,
        reason: `immutable identity "${rule.rule_name}" (${rule.property_name}) has different values`,
      };
    }
    if (rule.priority < matchingRule.priority) {
      return {
        allowed: false,
        reason: `identity "${rule.rule_name}" (${rule.property_name}, priority ${rule.priority}) has different values and outranks the matching identity "${matchingRule.rule_name}" (priority ${matchingRule.priority})`,
      };
    }
  }
  return { allowed: true };
}

/**
 * The first profile `trigger` may merge with: rules in priority order; for each, the trigger's
 * non-empty value is looked up with `candidatesFor`; the first candidate the checks allow wins.
 * A blocked candidate moves on to the next candidate, then to the next rule. Candidates are
 * filtered again here (live, not the trigger, the exact same value), so a loose index cannot
 * cause a wrong merge. Null when nothing matches.
 */
export function findMatch(
  trigger: ProfileState,
  activeRulesByPriority: readonly UnificationRule[],
  candidatesFor: (rule: UnificationRule, value: string) => readonly ProfileState[],
  onBlocked?: BlockedMatchListener,
): RuleMatch | null {
  if (trigger.status !== 'active') return null;
  const rules = activeRulesByPriority.filter((rule) => rule.is_active).sort(compareByPriority);
  for (const rule of rules) {
    const value = ruleValue(trigger, rule);
    if (value === undefined) continue;
    for (const candidate of candidatesFor(rule, value)) {
      if (candidate.profile_id === trigger.profile_id || candidate.status !== 'active') continue;
      if (ruleValue(candidate, rule) !== value) continue;
      const verdict = checkMergeAllowed(trigger, candidate, rule, rules);
      if (verdict.allowed) return { rule, candidate };
      onBlocked?.(rule, candidate, verdict);
    }
  }
  return null;
}
