import { randomUUID } from 'node:crypto';
import { IdempotentRequest } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { ProfileStreams } from './profile-streams';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

export interface UnmergeRequest {
  tenant: string;
  /** The survivor (its live end). */
  profileId: string;
  /** A profile merged into it directly, to split off with everything merged into that one before. */
  mergedId: string;
  idempotency?: IdempotentRequest;
  correlationId: string;
}

/**
 * Someone says a merge was wrong: the request is recorded on the survivor (409 when the profile
 * is not merged into it directly) and the unifier splits it off exactly.
 */
export function requestUnmerge(profiles: ProfileStreams, clock: Clock, request: UnmergeRequest): Promise<ProfileWriteOutcome> {
  const { tenant, profileId, mergedId, idempotency, correlationId } = request;
  const command = { type: 'RequestUnmerge' as const, merged_profile_id: mergedId, request_id: randomUUID(), ...(idempotency ? { idempotency } : {}), at: clock.now().toISOString() };
  return writeProfile(profiles, { tenant, addressedId: profileId, command, idempotency, correlationId });
}
