import { CommandOutcome, LogPosition } from '@cds/application';
import { toUnifiedProfile, UnifiedProfile } from '@cds/domain';

/** What a profile write answers: the profile as the write left it, and where it landed in the log. */
export interface ProfileWriteResult {
  profile: UnifiedProfile;
  position: LogPosition | null;
  replayed: boolean;
}

export function toWriteResult(tenant: string, outcome: CommandOutcome): ProfileWriteResult {
  return {
    profile: toUnifiedProfile(tenant, outcome.profile.state),
    position: outcome.position,
    replayed: outcome.replayed,
  };
}
