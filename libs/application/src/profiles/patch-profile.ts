import { AttributeWrite, IdempotentRequest, WriteSource } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { ProfileStreams } from './profile-streams';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

export interface PatchProfileRequest {
  tenant: string;
  /** The profile the caller named; a merged-away one leads to its survivor. */
  profileId: string;
  writes: AttributeWrite[];
  source: WriteSource;
  idempotency?: IdempotentRequest;
  correlationId: string;
}

/** Activity lands on the live profile the addressed one leads to, by each attribute's merge strategy. */
export function patchProfile(profiles: ProfileStreams, clock: Clock, request: PatchProfileRequest): Promise<ProfileWriteOutcome> {
  const { tenant, profileId, writes, source, idempotency, correlationId } = request;
  const command = {
    type: 'PatchAttributes' as const,
    writes,
    source,
    addressed_id: profileId,
    ...(idempotency ? { idempotency } : {}),
    at: clock.now().toISOString(),
  };
  return writeProfile(profiles, { tenant, addressedId: profileId, command, idempotency, correlationId });
}
