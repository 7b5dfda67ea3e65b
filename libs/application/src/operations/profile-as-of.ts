import { evolveProfile, initialProfileState, ProfileState } from '@cds/domain';
import { EventStore, LogPosition, RecordedEvent } from '../ports/event-store.port';
import { decodeProfileEvent } from '../streams/event-codec';
import { profileStream } from '../streams/stream-names';
import { isWithinCut, LogCut } from './log-cut';
import { walkMergeChain } from '../profiles/follow-merge-chain';


/** One event folded the way the projector folds it; throws for an event it would set aside. */
export function foldRecordedEvent(state: ProfileState, recorded: RecordedEvent): ProfileState {
  return evolveProfile(state, decodeProfileEvent(recorded));
}

export interface StreamAsOf {
  state: ProfileState;
  /** Position of the last event of the stream within the cut, or null when none is. */
  position: LogPosition | null;
  /** Events that could not be folded and were skipped, as the projector skips them. */
  skipped: number;
}

/**
 * Folds events of one profile stream up to the cut. An event that cannot be decoded or folded
 * is skipped, exactly as the projector dead-letters it, so the answer equals the read model.
 */
export function foldProfileEvents(profileId: string, events: Iterable<RecordedEvent>, cut?: LogCut): StreamAsOf {
  let state = initialProfileState(profileId);
  let position: LogPosition | null = null;
  let skipped = 0;
  for (const event of events) {
    // Stream order is log order, and log times follow positions: the first event past the cut ends it.
    if (cut !== undefined && !isWithinCut(cut, event)) break;
    try {
      state = foldRecordedEvent(state, event);
    } catch {
      skipped += 1;
    }
    position = event.position;
  }
  return { state, position, skipped };
}

export async function foldStreamAsOf(store: EventStore, tenant: string, profileId: string, cut?: LogCut): Promise<StreamAsOf> {
  return foldProfileEvents(profileId, await store.readStream(profileStream(tenant, profileId)), cut);
}

export interface ProfileAsOf {
  /** The profile that answers: a merged-away id answers with its survivor as it was then. */
  state: ProfileState;
  /** Position of the answering profile's last event within the cut. */
  position: LogPosition | null;
}

/**
 * A profile as it was at a point of the log, folded from its stream. If it had merged away by
 * then, its survivor as of the same point answers.
 * Null when it did not exist then, or had been erased.
 */
export async function readProfileAsOf(store: EventStore, tenant: string, profileId: string, cut: LogCut): Promise<ProfileAsOf | null> {
  const { live } = await walkMergeChain(profileId, (id) => foldStreamAsOf(store, tenant, id, cut), (folded) => folded.state);
  return live && { state: live.state, position: live.position };
}
