import { evolveProfile, initialProfileState } from '@cds/domain';
import { RecordedEvent } from '../ports/event-store.port';
import { ProfileDocument } from '../ports/read-model.port';
import { decodeProfileEvent } from '../streams/event-codec';
import { CATEGORY, parseStreamName } from '../streams/stream-names';

export interface ProfileRef {
  tenant: string;
  profileId: string;
}

/** The profile a log event belongs to, or null for events of other streams. */
export function profileRefOf(event: RecordedEvent): ProfileRef | null {
  const parsed = parseStreamName(event.streamId);
  if (!parsed || parsed.category !== CATEGORY.profile || !parsed.key) return null;
  return { tenant: parsed.tenant, profileId: parsed.key };
}

export const documentKey = (ref: ProfileRef) => `${ref.tenant}/${ref.profileId}`;

/**
 * Folds one event into a profile's document. Events at or before the document's position were
 * folded in already (a replay after a crash): they are skipped, which is what makes the
 * projection idempotent.
 */
export function foldIntoDocument(
  document: ProfileDocument | undefined,
  ref: ProfileRef,
  event: RecordedEvent,
): ProfileDocument | undefined {
  if (document && document.position >= event.position) return undefined;
  const state = evolveProfile(document?.state ?? initialProfileState(ref.profileId), decodeProfileEvent(event));
  return { tenant: ref.tenant, profile_id: ref.profileId, state, position: event.position };
}
