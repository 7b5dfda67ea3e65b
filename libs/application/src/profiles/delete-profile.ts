import { notFound, ProfileState } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { SubjectKeys } from '../personal-data/subject-keys';
import { followMergeChain } from './follow-merge-chain';
import { ProfileStreams } from './profile-streams';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

/**
 * Erases the live profile the addressed one leads to, and everything merged into it, for real:
 * their data keys are destroyed first (every event they sealed becomes unreadable, in every copy of
 * the log, and reads as erased from its first event on), then the erasure is recorded. A crash in
 * between leaves the subjects erased all the same; the unifier finishes what the record names.
 */
export async function deleteProfile(
  profiles: ProfileStreams,
  keys: SubjectKeys,
  clock: Clock,
  request: { tenant: string; profileId: string; correlationId: string },
): Promise<ProfileWriteOutcome> {
  const { tenant, profileId, correlationId } = request;
  const live = (await followMergeChain(profiles, tenant, profileId)).live;
  if (!live) throw notFound('profile_not_found', `No profile ${profileId}`);
  const erased = subjectsOf(live.state.profile);
  await keys.erase(tenant, erased);
  try {
    return await writeProfile(profiles, { tenant, addressedId: live.state.profileId, command: { type: 'DeleteProfile', erased, at: clock.now().toISOString() }, correlationId });
  } catch (error) {
    // A write that raced the erasure already reads as erased: the profile is gone either way.
    if ((error as { code?: string }).code !== 'profile_not_found') throw error;
    return { profile: await profiles.load(tenant, live.state.profileId), position: null, replayed: false };
  } finally {
    profiles.forget(tenant, erased);
  }
}

/** A profile and every profile merged into it, directly or through others. */
export function subjectsOf(profile: ProfileState): string[] {
  return [...new Set([profile.profile_id, ...profile.absorbed, ...profile.merged_from.map((m) => m.profile_id)])];
}
