import { notFound } from '@cds/domain';
import { resolveTracker } from './resolve-tracker';
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
export async function stampUser(profiles: ProfileStreams, clock: Clock, request: StampUserRequest): Promise<ProfileWriteOutcome> {
  const { tenant, userId, correlationId } = request;
  const tracked = (await resolveTracker(profiles, tenant, request.anonymousProfileTracker)).live;
  if (!tracked) throw notFound('profile_not_found', 'No profile has this anonymous_profile_tracker');
  const command = { type: 'StampUser' as const, user_id: userId, at: clock.now().toISOString() };
  return writeProfile(profiles, { tenant, addressedId: tracked.state.profileId, command, correlationId });
}
