import { v5 as uuidv5, validate as isUuid } from 'uuid';

/** Fixed namespace: changing it would move every profile to a new id. */
const PROFILE_NAMESPACE = 'a4bd64f2-5a0f-4c1e-9f2e-3b1c0d7e6a51';
const TRACKER_NAMESPACE = '0f8c2b8e-7d3a-4f4e-b7a2-6c9d1e2f3a4b';

/**
 * A profile's id is derived from its tracker, so a tracker (the `cds_profile` cookie) always
 * leads to its profile without an index that could lag, and the id reveals nothing of the tracker.
 */
export function profileIdForTracker(tenant: string, tracker: string): string {
  return uuidv5(`${tenant}/${tracker}`, PROFILE_NAMESPACE);
}

/** A create retried with the same Idempotency-Key gets the same tracker, hence the same profile. */
export function trackerForIdempotencyKey(tenant: string, key: string): string {
  return uuidv5(`${tenant}/${key}`, TRACKER_NAMESPACE);
}

export { isUuid };
