import { evolveProfile, initialProfileState, ProfileState } from '@cds/domain';
import { EventStore, LogPosition, RecordedEvent } from '../ports/event-store.port';
import { decodeProfileEvent } from '../streams/event-codec';
import { profileStream } from '../streams/stream-names';
import { isWithinCut, LogCut } from './log-cut';
import { walkMergeChain } from '../profiles/follow-merge-chain';
import { AsOfSnapshots } from './as-of-snapshots';

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
  return foldUpToCut(notYetFolded(profileId), events, cut).folded;
}

/** Folds events onto a fold until the first one past the cut (which `passedCut` reports). */
function foldUpToCut(folded: StreamAsOf, events: Iterable<RecordedEvent>, cut: LogCut | undefined, snapshots?: StreamSnapshots) {
  let { state, position, skipped } = folded;
  for (const event of events) {
    // Stream order is log order, and log times follow positions: the first event past the cut ends it.
    if (cut !== undefined && !isWithinCut(cut, event)) return { folded: { state, position, skipped }, passedCut: true };
    try {
      state = foldRecordedEvent(state, event);
    } catch {
      skipped += 1;
    }
    position = event.position;
    if (snapshots?.due(event)) snapshots.remember(event, { state, position, skipped });
  }
  return { folded: { state, position, skipped }, passedCut: false };
}

const notYetFolded = (profileId: string): StreamAsOf => ({ state: initialProfileState(profileId), position: null, skipped: 0 });

/**
 * Events read at a time: a first page of 64, doubling up to 1024. A cut a few events past a
 * snapshot reads (and opens) a few events, not a thousand; a long fold soon reads in large pages.
 */
const FIRST_PAGE = 64;
const LARGEST_PAGE = 1024;

export type StreamSnapshots = AsOfSnapshots<StreamAsOf>;

/**
 * One profile stream folded up to the cut, page by page, from the latest snapshot within the cut
 * when `snapshots` are given (and leaving new ones behind as it goes).
 */
export async function foldStreamAsOf(store: EventStore, tenant: string, profileId: string, cut?: LogCut, snapshots?: StreamSnapshots): Promise<StreamAsOf> {
  const streamId = profileStream(tenant, profileId);
  let { folded, next } = await startingPoint(store, streamId, profileId, cut, snapshots);
  for (let size = FIRST_PAGE; ; size = Math.min(size * 2, LARGEST_PAGE)) {
    const page = await store.readStream(streamId, { fromRevision: next, maxCount: size });
    const step = foldUpToCut(folded, page, cut, snapshots);
    if (step.passedCut || page.length < size) return step.folded;
    folded = step.folded;
    next = page[page.length - 1].revision + 1;
  }
}

/**
 * Where a fold starts: the latest snapshot within the cut whose last event still reads as it did
 * (once a subject is erased its events read as the erasure, and the fold must start over), or the
 * stream's first event.
 */
async function startingPoint(store: EventStore, streamId: string, profileId: string, cut: LogCut | undefined, snapshots: StreamSnapshots | undefined) {
  const snapshot = snapshots?.latestWithin(streamId, cut);
  if (snapshot) {
    const [again] = await store.readStream(streamId, { fromRevision: snapshot.revision, maxCount: 1 });
    if (again?.id === snapshot.eventId && again.type === snapshot.eventType) return { folded: snapshot.folded, next: snapshot.revision + 1 };
    snapshots?.forget(streamId);
  }
  return { folded: notYetFolded(profileId), next: 0 };
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
export async function readProfileAsOf(store: EventStore, tenant: string, profileId: string, cut: LogCut, snapshots?: StreamSnapshots): Promise<ProfileAsOf | null> {
  const { live } = await walkMergeChain(profileId, (id) => foldStreamAsOf(store, tenant, id, cut, snapshots), (folded) => folded.state);
  return live && { state: live.state, position: live.position };
}
