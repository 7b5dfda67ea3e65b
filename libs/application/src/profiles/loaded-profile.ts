import {
  evolveProfile,
  initialProfileState,
  MergeReason,
  ProfileEvent,
  ProfileState,
} from '@cds/domain';
import { LogPosition, RecordedEvent } from '../ports/event-store.port';
import { decodeProfileEvent } from '../streams/event-codec';

/** A profile stream folded for the command side. */
export interface LoadedProfile {
  tenant: string;
  profileId: string;
  streamId: string;
  state: ProfileState;
  /** Revision of the stream's last event; null when the stream does not exist. */
  revision: number | null;
  lastPosition: LogPosition | null;
  /** Idempotency keys seen by this profile and everything merged into it, with where they landed. */
  seenKeys: Map<string, LogPosition>;
  /** For a merged-away profile: what it was just before it closed, which the survivor absorbs. */
  beforeClose?: {
    state: ProfileState;
    revision: number;
    seenKeys: string[];
    reason: MergeReason;
    triggered_by: 'survivor' | 'merged';
  };
}

export function emptyProfile(tenant: string, profileId: string, streamId: string): LoadedProfile {
  return {
    tenant,
    profileId,
    streamId,
    state: initialProfileState(profileId),
    revision: null,
    lastPosition: null,
    seenKeys: new Map(),
  };
}

/** Folds recorded events onto a loaded profile (used on load and after an append). */
export function foldRecorded(profile: LoadedProfile, recorded: RecordedEvent[]): LoadedProfile {
  let { state, beforeClose } = profile;
  // Shared, not copied: keys only ever get added, and copying would cost O(keys) per command on
  // profiles fed by Kafka (every event_id is a key).
  const { seenKeys } = profile;
  let revision = profile.revision;
  let lastPosition = profile.lastPosition;
  for (const r of recorded) {
    const event = decodeProfileEvent(r);
    if (event.type === 'ProfileMergedAway') {
      beforeClose = {
        state,
        revision: r.revision - 1,
        seenKeys: [...seenKeys.keys()],
        reason: event.data.reason,
        triggered_by: event.data.triggered_by,
      };
    }
    rememberKeys(seenKeys, event, r.position);
    state = evolveProfile(state, event);
    revision = r.revision;
    lastPosition = r.position;
  }
  return { ...profile, state, revision, lastPosition, seenKeys, beforeClose };
}

function rememberKeys(keys: Map<string, LogPosition>, event: ProfileEvent, position: LogPosition): void {
  if (event.type === 'AttributePatched' && event.data.idempotency_key !== undefined) {
    keys.set(event.data.idempotency_key, position);
  } else if (event.type === 'ProfilesMerged') {
    for (const key of event.data.idempotency_keys) if (!keys.has(key)) keys.set(key, position);
  }
}
