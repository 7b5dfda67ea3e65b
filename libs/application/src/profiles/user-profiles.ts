import { notFound, trackerForUser } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { SubjectKeys } from '../personal-data/subject-keys';
import { UnificationClaims } from '../unification/claims';
import { deleteProfile } from './delete-profile';
import { followMergeChain } from './follow-merge-chain';
import { FoldedProfile, ProfileStreams } from './profile-streams';
import { resolveTracker } from './resolve-tracker';
import { ProfileWriteOutcome, writeProfileBatch } from './write-profile';

/**
 * The user's permanent profile as the unifier's claims say now, or null. Callers wait for the
 * unifier to have passed the log's head first, so a sign-in just made is counted.
 */
export async function permanentProfileOf(profiles: ProfileStreams, claims: UnificationClaims, tenant: string, userId: string): Promise<FoldedProfile | null> {
  const owner = await claims.owner(tenant, userId);
  return owner === null ? null : (await followMergeChain(profiles, tenant, owner)).live;
}

/**
 * The identity provider added a user: they get a permanent profile unless they have one. The new
 * profile's tracker is derived from the user, so a repeated event finds the profile it made.
 */
export async function ensureUserProfile(
  profiles: ProfileStreams,
  claims: UnificationClaims,
  clock: Clock,
  request: { tenant: string; userId: string; correlationId: string },
): Promise<ProfileWriteOutcome> {
  const { tenant, userId, correlationId } = request;
  const existing = await permanentProfileOf(profiles, claims, tenant, userId);
  if (existing) return { profile: existing, position: existing.lastPosition, replayed: true };
  const tracker = trackerForUser(tenant, userId);
  const tracked = await resolveTracker(profiles, tenant, tracker);
  if (tracked.live) return { profile: tracked.live, position: tracked.live.lastPosition, replayed: true };
  if (!tracked.vacantId) throw notFound('profile_not_found', 'This user has had too many profiles erased');
  const at = clock.now().toISOString();
  const { profile, outcomes } = await writeProfileBatch(profiles, {
    tenant,
    addressedId: tracked.vacantId,
    writes: [
      { command: { type: 'CreateProfile', profile_id: tracked.vacantId, anonymous_profile_tracker: tracker, tracking_consent: true, at } },
      { command: { type: 'StampUser', user_id: userId, at } },
    ],
    correlationId,
  });
  for (const outcome of outcomes) if (outcome.kind === 'refused') throw outcome.error;
  return { profile, position: profile.lastPosition, replayed: false };
}

/** The identity provider deleted a user: their permanent profile is erased as DELETE erases it. */
export async function eraseUser(
  profiles: ProfileStreams,
  claims: UnificationClaims,
  keys: SubjectKeys,
  clock: Clock,
  request: { tenant: string; userId: string; correlationId: string },
): Promise<ProfileWriteOutcome> {
  const { tenant, userId, correlationId } = request;
  const permanent = await permanentProfileOf(profiles, claims, tenant, userId);
  if (!permanent) throw notFound('profile_not_found', 'No live profile carries this user id');
  return deleteProfile(profiles, keys, clock, { tenant, profileId: permanent.state.profileId, correlationId });
}
