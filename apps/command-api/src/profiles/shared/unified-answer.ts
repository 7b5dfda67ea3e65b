import { Inject, Injectable } from '@nestjs/common';
import {
  followMergeChain,
  ProfileStreams,
  ProfileWriteOutcome,
  RulesService,
  ServiceBusyError,
  UNIFICATION_PROGRESS,
  UnificationProgress,
} from '@cds/application';
import { activeRulesByPriority, AttributeWrite, notFound, toUnifiedProfile } from '@cds/domain';
import { UNIFICATION_WAIT_MS } from '../../http/log-position';
import { ProfileWriteResult, toWriteResult } from './write-result';

/**
 * Writes the unifier acts on (sign-ins, identity values of a rule) answer once it has: with the
 * unified profile, and a position a GET can pass as `wait_for_position` to see the merge.
 */
@Injectable()
export class UnifiedAnswer {
  constructor(
    @Inject(UNIFICATION_PROGRESS) private readonly progress: UnificationProgress,
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(RulesService) private readonly rules: RulesService,
  ) {}

  /**
   * `required`: without the unifier's answer in time there is nothing true to say but "retry"
   * (503; the write itself is in the log and retrying it has no second effect).
   * `best-effort`: the write stands on its own; a late unifier only means the answer says so.
   */
  async after(tenant: string, outcome: ProfileWriteOutcome, requirement: 'required' | 'best-effort'): Promise<ProfileWriteResult> {
    if (outcome.position !== null && !(await this.progress.waitFor(tenant, outcome.position, UNIFICATION_WAIT_MS))) {
      if (requirement === 'required') {
        throw new ServiceBusyError(
          'unification_pending',
          "The sign-in is recorded; the user's profiles are still being unified. Retry the same request shortly for the unified profile.",
          1,
        );
      }
      return { ...toWriteResult(tenant, outcome), unificationPending: true };
    }
    const live = (await followMergeChain(this.profiles, tenant, outcome.profile.state.profileId)).live;
    if (!live) throw notFound('profile_not_found', 'The profile was erased meanwhile');
    const position = Math.max(outcome.position ?? -1, live.lastPosition ?? -1);
    return { profile: toUnifiedProfile(tenant, live.state.profile), position: position < 0 ? null : position, replayed: outcome.replayed };
  }

  /** Whether a write gives a profile a value an active unification rule matches on. */
  async touchesRules(tenant: string, writes: readonly AttributeWrite[]): Promise<boolean> {
    if (writes.length === 0) return false;
    const properties = new Set(activeRulesByPriority(await this.rules.current(tenant)).map((r) => r.property_name));
    return writes.some((w) => w.scope !== 'application_data' && properties.has(`${w.scope}.${w.attribute}`));
  }
}
