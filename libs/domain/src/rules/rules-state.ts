import { assertNever } from '../shared/errors';
import { RuleEvent } from './rules-events';
import { compareByPriority, UnificationRule } from './unification-rule';

export interface RulesState {
  /** By rule_id, in the order the rules were added. */
  readonly byId: ReadonlyMap<string, UnificationRule>;
}

export const emptyRules: RulesState = { byId: new Map() };

export function evolveRules(state: RulesState, event: RuleEvent): RulesState {
  switch (event.type) {
    case 'UnificationRuleAdded':
    case 'UnificationRuleChanged': {
      const rule = event.data.rule;
      return { byId: new Map(state.byId).set(rule.rule_id, rule) };
    }
    case 'UnificationRuleRemoved': {
      if (!state.byId.has(event.data.rule_id)) return state;
      const byId = new Map(state.byId);
      byId.delete(event.data.rule_id);
      return { byId };
    }
    case 'UnificationRulesReprioritized': {
      const byId = new Map(state.byId);
      for (const [ruleId, priority] of Object.entries(event.data.priorities)) {
        const rule = byId.get(ruleId);
        if (rule) byId.set(ruleId, { ...rule, priority });
      }
      return { byId };
    }
    default:
      return assertNever(event);
  }
}

export const foldRules = (events: RuleEvent[], from: RulesState = emptyRules): RulesState => events.reduce(evolveRules, from);

/** Every rule, highest priority (1) first: the order the API lists them in. */
export function rulesByPriority(state: RulesState): UnificationRule[] {
  return [...state.byId.values()].sort(compareByPriority);
}

/** The rules identity resolution evaluates, in the order it evaluates them. */
export function activeRulesByPriority(state: RulesState): UnificationRule[] {
  return rulesByPriority(state).filter((rule) => rule.is_active);
}
