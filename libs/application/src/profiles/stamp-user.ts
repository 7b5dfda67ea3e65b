import { profileIdForTracker } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { ProfileStreams } from './profile-streams';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

export interface StampUserRequest {
  tenant: string;
  userId: string;
  anonymousProfileTracker: string;
  correlationId: string;
}

/**
 * Sign-in stamps the user on the profile the browser's tracker leads to. That is all a request
 * does: merging it with the user's permanent profile is decided by the unifier, which follows the
 * log and is the only writer of merges.
 */
export function stampUser(profiles: ProfileStreams, clock: Clock, request: StampUserRequest): Promise<ProfileWriteOutcome> {
  const { tenant, userId, correlationId } = request;
  const addressedId = profileIdForTracker(tenant, request.anonymousProfileTracker);
  const command = { type: 'StampUser' as const, user_id: userId, at: clock.now().toISOString() };
  return writeProfile(profiles, { tenant, addressedId, command, correlationId });
}
