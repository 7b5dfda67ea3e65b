import { evolveProfile, initialProfileState, MergeReason, ProfileEvent, ProfileState } from '@cds/domain';
import { LogPosition, RecordedEvent } from '../ports/event-store.port';
import { decodeProfileEvent } from '../streams/event-codec';
import { parseStreamName } from '../streams/stream-names';
import { KeyWindow } from './key-window';

/** A profile stream as the command side decides on it: the domain state plus what writes need. */
export interface ProfileWriteState {
  readonly tenant: string;
  readonly profileId: string;
  readonly profile: ProfileState;
  /** Idempotency keys of recent keyed writes to this profile (shared and grown in place). */
  readonly keys: KeyWindow;
  /** For a merged-away profile: what it was when it closed, which its survivor absorbs. */
  readonly closed: ClosedProfile | null;
}

export interface ClosedProfile {
  state: ProfileState;
  /** Revision of its last event before the close. */
  revision: number;
  reason: MergeReason;
  triggered_by: 'survivor' | 'merged';
}

export function initialProfileWriteState(streamId: string): ProfileWriteState {
  const parsed = parseStreamName(streamId);
  const profileId = parsed?.key ?? '';
  return { tenant: parsed?.tenant ?? '', profileId, profile: initialProfileState(profileId), keys: new KeyWindow(), closed: null };
}

export function evolveProfileWriteState(state: ProfileWriteState, recorded: RecordedEvent): ProfileWriteState {
  const event = decodeProfileEvent(recorded);
  rememberKey(state.keys, event, recorded.position);
  const closed: ClosedProfile | null =
    event.type === 'ProfileMergedAway'
      ? { state: state.profile, revision: recorded.revision - 1, reason: event.data.reason, triggered_by: event.data.triggered_by }
      : state.closed;
  return { ...state, profile: evolveProfile(state.profile, event), closed };
}

function rememberKey(keys: KeyWindow, event: ProfileEvent, position: LogPosition): void {
  if (event.type !== 'AttributePatched' && event.type !== 'ProfileCreated' && event.type !== 'MergeRequested' && event.type !== 'UnmergeRequested') return;
  const { idempotency_key, request_fingerprint } = event.data;
  if (idempotency_key !== undefined) keys.remember(idempotency_key, { fingerprint: request_fingerprint ?? '', position });
}
