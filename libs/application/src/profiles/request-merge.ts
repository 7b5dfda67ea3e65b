import { randomUUID } from 'node:crypto';
import { IdempotentRequest, notFound } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { followMergeChain } from './follow-merge-chain';
import { ProfileStreams } from './profile-streams';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

export interface MergeByHandRequest {
  tenant: string;
  /** The profile that survives (its live end). */
  profileId: string;
  /** The profile that merges into it (its live end). */
  otherId: string;
  idempotency?: IdempotentRequest;
  correlationId: string;
}

/**
 * Someone says two profiles are one person: the request is recorded on the survivor and the
 * unifier (the only writer of merges) carries it out. Profiles of different users are refused
 * (409); a pair split apart before may be joined this way again. Two ids that lead to one
 * profile already change nothing.
 */
export async function requestMerge(profiles: ProfileStreams, clock: Clock, request: MergeByHandRequest): Promise<ProfileWriteOutcome> {
  const { tenant, profileId, otherId, idempotency, correlationId } = request;
  const other = (await followMergeChain(profiles, tenant, otherId)).live;
  if (!other) throw notFound('profile_not_found', `No profile ${otherId}`);
  const command = { type: 'RequestMerge' as const, other: other.state.profile, request_id: randomUUID(), ...(idempotency ? { idempotency } : {}), at: clock.now().toISOString() };
  const survivor = (await followMergeChain(profiles, tenant, profileId)).live;
  if (survivor && survivor.state.profileId === other.state.profileId) return { profile: survivor, position: survivor.lastPosition, replayed: false };
  return writeProfile(profiles, { tenant, addressedId: profileId, command, idempotency, correlationId });
}
