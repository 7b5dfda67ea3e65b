import { notFound } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { ProfileStreams } from './profile-streams';
import { resolveTracker } from './resolve-tracker';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

/**
 * The identity provider ended a session: the browser's tracker stops leading to its profile (a
 * later visit with that cookie starts a new temporary profile); the profile stays the user's.
 */
export async function endSession(profiles: ProfileStreams, clock: Clock, request: { tenant: string; tracker: string; correlationId: string }): Promise<ProfileWriteOutcome> {
  const { tenant, tracker, correlationId } = request;
  const tracked = (await resolveTracker(profiles, tenant, tracker)).live;
  if (!tracked) throw notFound('profile_not_found', 'No profile has this tracker (its session may have ended already)');
  return writeProfile(profiles, { tenant, addressedId: tracked.state.profileId, command: { type: 'ReleaseTracker', tracker, at: clock.now().toISOString() }, correlationId });
}
