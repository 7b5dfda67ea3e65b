import { randomUUID } from 'node:crypto';
import { AttributeWrite, IdempotentRequest, profileIdForTracker, trackerForIdempotencyKey } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { resolveTracker } from './resolve-tracker';
import { ProfileStreams } from './profile-streams';
import { ProfileWriteOutcome, writeProfile } from './write-profile';

export interface CreateProfileRequest {
  tenant: string;
  /** The `cds_profile` cookie of the browser, when it sent one. */
  cookieTracker?: string;
  trackingConsent: boolean;
  writes: AttributeWrite[];
  idempotency?: IdempotentRequest;
  correlationId: string;
}

/**
 * A temporary profile for a new visitor. A browser whose cookie still leads to a live profile
 * keeps it, and attributes sent along land on it; a cookie that leads nowhere any more (its
 * session ended, its profile was erased) gets a new profile and a new cookie. The same
 * Idempotency-Key always names the same tracker, so a retried create finds the profile it made.
 */
export async function createProfile(
  profiles: ProfileStreams,
  clock: Clock,
  request: CreateProfileRequest,
): Promise<ProfileWriteOutcome & { created: boolean }> {
  const { tenant, writes, idempotency, correlationId } = request;
  const at = clock.now().toISOString();
  const tracked = request.cookieTracker ? (await resolveTracker(profiles, tenant, request.cookieTracker)).live : null;
  if (tracked) {
    const addressedId = tracked.state.profileId;
    const command = { type: 'PatchAttributes' as const, writes, source: 'http' as const, addressed_id: addressedId, ...(idempotency ? { idempotency } : {}), at };
    return { ...(await writeProfile(profiles, { tenant, addressedId, command, idempotency, correlationId })), created: false };
  }
  const tracker = idempotency ? trackerForIdempotencyKey(tenant, idempotency.idempotency_key) : randomUUID();
  const profileId = profileIdForTracker(tenant, tracker);
  const command = {
    type: 'CreateProfile' as const,
    profile_id: profileId,
    anonymous_profile_tracker: tracker,
    tracking_consent: request.trackingConsent,
    initial_writes: writes,
    ...(idempotency ? { idempotency } : {}),
    at,
  };
  // A retried create answers as the first attempt did: created.
  return { ...(await writeProfile(profiles, { tenant, addressedId: profileId, command, idempotency, correlationId })), created: true };
}
