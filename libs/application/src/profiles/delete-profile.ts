import { Clock } from '../ports/clock.port';
import { ProfileStreams } from './profile-streams';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

/** Erases the live profile the addressed one leads to; everything merged into it goes with it. */
export function deleteProfile(
  profiles: ProfileStreams,
  clock: Clock,
  request: { tenant: string; profileId: string; correlationId: string },
): Promise<ProfileWriteOutcome> {
  const { tenant, profileId, correlationId } = request;
  return writeProfile(profiles, { tenant, addressedId: profileId, command: { type: 'DeleteProfile', at: clock.now().toISOString() }, correlationId });
}
