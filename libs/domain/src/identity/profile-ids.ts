import { v5 as uuidv5, validate as isUuid } from 'uuid';

/** Fixed namespace: changing it would move every profile to a new id. */
const PROFILE_NAMESPACE = 'a4bd64f2-5a0f-4c1e-9f2e-3b1c0d7e6a51';
const TRACKER_NAMESPACE = '0f8c2b8e-7d3a-4f4e-b7a2-6c9d1e2f3a4b';
const USER_TRACKER_NAMESPACE = '3c5e7a91-2b4d-4f6e-8a1c-9d0e2f4b6a83';

/**
 * A profile's id is derived from its tracker, so a tracker (the `cds_profile` cookie) leads to its
 * profile without an index that could lag, and the id reveals nothing of the tracker. When a
 * tracker stops leading to its profile (the session ended, the profile was erased), the next
 * profile it makes takes the next generation's id: a tracker's profiles are generation 0, 1, 2…
 */
export function profileIdForTracker(tenant: string, tracker: string, generation = 0): string {
  return uuidv5(generation === 0 ? `${tenant}/${tracker}` : `${tenant}/${tracker}#${generation}`, PROFILE_NAMESPACE);
}

/** A create retried with the same Idempotency-Key gets the same tracker, hence the same profile. */
export function trackerForIdempotencyKey(tenant: string, key: string): string {
  return uuidv5(`${tenant}/${key}`, TRACKER_NAMESPACE);
}

export { isUuid };

/**
 * The tracker of the profile a user gets when activity arrives for them before they have one (or
 * after theirs was erased): the same for every delivery of that activity, so a redelivered batch
 * finds the profile the first delivery started.
 */
export function trackerForUser(tenant: string, userId: string): string {
  return uuidv5(`${tenant}/${userId}`, USER_TRACKER_NAMESPACE);
}
