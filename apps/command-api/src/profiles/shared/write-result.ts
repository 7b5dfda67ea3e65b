import { LogPosition, ProfileWriteOutcome } from '@cds/application';
import { toUnifiedProfile, UnifiedProfile } from '@cds/domain';

/** What a profile write answers: the profile as the write left it, and where it landed in the log. */
export interface ProfileWriteResult {
  profile: UnifiedProfile;
  position: LogPosition | null;
  replayed: boolean;
  /** Set when the answer came before the unifier had acted on the write (it still will). */
  unificationPending?: boolean;
}

export function toWriteResult(tenant: string, outcome: ProfileWriteOutcome): ProfileWriteResult {
  return {
    profile: toUnifiedProfile(tenant, outcome.profile.state.profile),
    position: outcome.position,
    replayed: outcome.replayed,
  };
}
