import {
  activeRulesByPriority,
  AttributeWrite,
  chooseSurvivor,
  findMatch,
  ProfileState,
  ruleValue,
  UnificationRule,
} from '@cds/domain';
import { RulesService } from '../rules/rules-service';
import { CommandOutcome } from './profile-commands';
import { IdentityIndex } from './identity-index';
import { MergePlan, ProfileMerger } from './profile-merger';
import { ProfileResolver } from './profile-resolver';

/** A chain (A matches B, the result matches C…) is followed this far within one attempt. */
const MAX_ROUNDS = 16;

/**
 * SPEC §5 "By rules": after a write that touches a rule's property, and at sign-in, the profile
 * claims its identity values in the identity index and, through the tenant's ordered merge
 * decisions, merges with the first allowed match (seed 002). Candidates come from the index and
 * the profiles' own streams, never from the read model, so a lagging projection cannot cause
 * a missed or a double merge.
 */
export class RuleUnification {
  constructor(
    private readonly rules: RulesService,
    private readonly index: IdentityIndex,
    private readonly resolver: ProfileResolver,
    private readonly merger: ProfileMerger,
  ) {}

  /** Whether any write touches an active rule's property (only then is a merge attempted). */
  async touchesRule(tenant: string, writes: readonly AttributeWrite[]): Promise<boolean> {
    if (writes.length === 0) return false;
    const properties = new Set(activeRulesByPriority(await this.rules.current(tenant)).map((r) => r.property_name));
    return writes.some((w) => w.scope !== 'application_data' && properties.has(`${w.scope}.${w.attribute}`));
  }

  /** Merges the profile with its matches until none is left; null when nothing merged. */
  async attempt(tenant: string, profileId: string, correlationId: string): Promise<CommandOutcome | null> {
    const rules = activeRulesByPriority(await this.rules.current(tenant));
    if (rules.length === 0) return null;
    let current = profileId;
    let last: CommandOutcome | null = null;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const live = await this.resolver.resolveLive(tenant, current);
      if (!live) return last;
      await this.claimValues(tenant, live.state, rules);
      const outcome = await this.merger.merge(tenant, () => this.plan(tenant, current, rules), `${correlationId}:rules:${round}`);
      if (!outcome) return last;
      last = outcome;
      current = outcome.profile.profileId;
    }
    return last;
  }

  private async claimValues(tenant: string, state: ProfileState, rules: UnificationRule[]): Promise<void> {
    for (const rule of rules) {
      const value = ruleValue(state, rule);
      if (value !== undefined) await this.index.claim(tenant, rule, value, state.profile_id);
    }
  }

  /** Runs inside the tenant's ordered merge decisions, on fresh state. */
  private async plan(tenant: string, triggerId: string, rules: UnificationRule[]): Promise<MergePlan | null> {
    const trigger = await this.resolver.resolveLive(tenant, triggerId);
    if (!trigger) return null;
    const candidates = new Map<string, ProfileState[]>();
    for (const rule of rules) {
      const value = ruleValue(trigger.state, rule);
      if (value === undefined) continue;
      candidates.set(rule.rule_id, await this.liveClaimants(tenant, rule, value, trigger.profileId));
    }
    const match = findMatch(trigger.state, rules, (rule) => candidates.get(rule.rule_id) ?? []);
    if (!match) return null;
    const { survivor, merged } = chooseSurvivor(trigger.state, match.candidate);
    return {
      survivorId: survivor.profile_id,
      mergedId: merged.profile_id,
      reason: { kind: 'rule', rule_name: match.rule.rule_name },
      triggeredBy: survivor.profile_id === trigger.profileId ? 'survivor' : 'merged',
    };
  }

  /** The live profiles now holding what claimed the value, oldest claim first, once each. */
  private async liveClaimants(tenant: string, rule: UnificationRule, value: string, triggerId: string): Promise<ProfileState[]> {
    const seen = new Set([triggerId]);
    const states: ProfileState[] = [];
    for (const claimant of await this.index.claimants(tenant, rule, value)) {
      const live = await this.resolver.resolveLive(tenant, claimant);
      if (!live || seen.has(live.profileId)) continue;
      seen.add(live.profileId);
      states.push(live.state);
    }
    return states;
  }
}
