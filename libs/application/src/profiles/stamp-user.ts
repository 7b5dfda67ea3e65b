import { notFound } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { ProfileStreams } from './profile-streams';
import { resolveTracker } from './resolve-tracker';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

export interface StampUserRequest {
  tenant: string;
  userId: string;
  /** The browser's tracker; or `profileId`, the profile itself. */
  anonymousProfileTracker?: string;
  profileId?: string;
  correlationId: string;
}

/**
 * Sign-in stamps the user on the profile the browser's tracker (or the given id) leads to. That is
 * all a request does: merging it with the user's permanent profile is decided by the unifier,
 * which follows the log and is the only writer of merges.
 */
export async function stampUser(profiles: ProfileStreams, clock: Clock, request: StampUserRequest): Promise<ProfileWriteOutcome> {
  const { tenant, userId, correlationId } = request;
  const addressedId = request.anonymousProfileTracker
    ? (await resolveTracker(profiles, tenant, request.anonymousProfileTracker)).live?.state.profileId
    : request.profileId;
  if (!addressedId) throw notFound('profile_not_found', 'No profile has this anonymous_profile_tracker');
  const command = { type: 'StampUser' as const, user_id: userId, at: clock.now().toISOString() };
  return writeProfile(profiles, { tenant, addressedId, command, correlationId });
}
