import { LogPosition, ProfileWriteOutcome } from '@cds/application';
import { toUnifiedProfile, UnifiedProfile } from '@cds/domain';
import { positionHeaders } from '../../http/log-position';

/** What a profile write answers: the profile as the write left it, and where it landed in the log. */
export interface ProfileWriteResult {
  profile: UnifiedProfile;
  position: LogPosition | null;
  replayed: boolean;
  /** Set when the answer came before the unifier had acted on the write (it still will). */
  unificationPending?: boolean;
}

/** The headers of a write's answer: where it landed, and whether unification is still to come. */
export function writeResultHeaders(result: Pick<ProfileWriteResult, 'position' | 'unificationPending'>): Record<string, string> {
  return { ...positionHeaders(result.position), ...(result.unificationPending ? { 'cds-unification': 'pending' } : {}) };
}

export function toWriteResult(tenant: string, outcome: ProfileWriteOutcome): ProfileWriteResult {
  return {
    profile: toUnifiedProfile(tenant, outcome.profile.state.profile),
    position: outcome.position,
    replayed: outcome.replayed,
  };
}
