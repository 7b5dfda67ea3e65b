import { UnificationRule } from './unification-rule';

/** Events of a tenant's unification rules stream (`rules-<tenant>`). */
export type UnificationRuleAdded = {
  type: 'UnificationRuleAdded';
  data: { rule: UnificationRule; at: string };
};
/** Carries the whole rule as it is after the change. */
export type UnificationRuleChanged = {
  type: 'UnificationRuleChanged';
  data: { rule: UnificationRule; at: string };
};
export type UnificationRuleRemoved = {
  type: 'UnificationRuleRemoved';
  data: { rule_id: string; at: string };
};
/** A new order saved in one step (the console's "Save priorities"): the priority of every rule. */
export type UnificationRulesReprioritized = {
  type: 'UnificationRulesReprioritized';
  data: { priorities: Record<string, number>; at: string };
};

export type RuleEvent =
  | UnificationRuleAdded
  | UnificationRuleChanged
  | UnificationRuleRemoved
  | UnificationRulesReprioritized;
export const RULE_EVENT_TYPES: ReadonlyArray<RuleEvent['type']> = [
  'UnificationRuleAdded',
  'UnificationRuleChanged',
  'UnificationRuleRemoved',
  'UnificationRulesReprioritized',
];
