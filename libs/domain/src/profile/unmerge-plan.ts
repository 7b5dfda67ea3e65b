import { snapshotOf } from './decide-profile';
import { evolveProfile } from './evolve-profile';
import { AttributePatched, ProfileEvent, ProfileSnapshot, ProfilesMerged } from './profile-events';
import { initialProfileState, ProfileState } from './profile-state';

/** An event of a profile stream with its place in the stream. */
export interface StreamEvent {
  revision: number;
  event: ProfileEvent;
}

/** The split-off profile as it lives again (the first step of an unmerge). */
export interface RestorePlan {
  restored: ProfileSnapshot;
  /** Revisions of the survivor's stream whose writes went back to it. */
  transferred_revisions: number[];
  user_stamp_cancelled: boolean;
}

/** The survivor as it stays (the second step). */
export interface SplitPlan {
  survivor: ProfileSnapshot;
  /** Events of the survivor's stream that stop counting: the merge and the writes that went back. */
  excluded_revisions: number[];
}

/**
 * An unmerge splits a merged profile off its survivor exactly, from the two streams alone. First
 * the merged profile lives again: its own events up to the merge, then the writes that reached
 * the survivor through its id or tracker, or through a profile merged into it before (its
 * sub-tree), after the merge. A user stamp that a user_id merge brought is cancelled (the user
 * said that device is not theirs). Null when it is not merged into the survivor directly.
 */
export function planRestore(survivorEvents: readonly StreamEvent[], mergedEvents: readonly StreamEvent[], mergedId: string): RestorePlan | null {
  const merge = lastMergeOf(survivorEvents, mergedId);
  if (!merge) return null;
  const mergedSide = merge.event.data.merged;
  const subtree = new Set([mergedId, ...(mergedSide.absorbed ?? []), ...mergedSide.merged_from.map((m) => m.profile_id)]);
  const transferred = survivorEvents.filter(
    (e): e is StreamEvent & { event: AttributePatched } =>
      e.revision > merge.revision && e.event.type === 'AttributePatched' && e.event.data.addressed_id !== undefined && subtree.has(e.event.data.addressed_id),
  );
  const closedAt = lastIndexOf(mergedEvents, (e) => e.event.type === 'ProfileMergedAway');
  let restored = refold(mergedEvents.slice(0, closedAt < 0 ? mergedEvents.length : closedAt), exclusionsIn(mergedEvents));
  for (const write of transferred) restored = evolveProfile(restored, write.event);
  const userStampCancelled = merge.event.data.reason.kind === 'user_id' && restored.user_id !== null;
  if (userStampCancelled) restored = { ...restored, user_id: null, verified: false };
  return {
    restored: { ...snapshotOf(restored), kept_apart: withOne(restored.kept_apart, merge.event.data.survivor_id) },
    transferred_revisions: transferred.map((e) => e.revision),
    user_stamp_cancelled: userStampCancelled,
  };
}

/**
 * Then the survivor is folded again from its own stream without the merge and without the writes
 * that went back: every strategy gives what it would have given had the merge never happened
 * (`sum` loses the merged side's counts, `combine` its values, `overwrite`/`oldest` fall back).
 * From then on the two are kept apart from rule matches. Null when the merge is undone already.
 */
export function planSplit(survivorEvents: readonly StreamEvent[], mergedId: string, transferredRevisions: readonly number[]): SplitPlan | null {
  const merge = lastMergeOf(survivorEvents, mergedId);
  if (!merge) return null;
  const excluded = [merge.revision, ...transferredRevisions];
  const survivor = refold(survivorEvents, new Set([...exclusionsIn(survivorEvents), ...excluded]));
  return { survivor: { ...snapshotOf(survivor), kept_apart: withOne(survivor.kept_apart, mergedId) }, excluded_revisions: excluded };
}

/**
 * A profile stream folded without the events earlier splits excluded. A `ProfileUnmerged` is the
 * result of such a fold, so folding again applies its exclusions instead of its result, and keeps
 * only what it adds: the pair it keeps apart.
 */
export function refold(events: readonly StreamEvent[], excluded: ReadonlySet<number>): ProfileState {
  let state = initialProfileState();
  for (const { revision, event } of events) {
    if (excluded.has(revision)) continue;
    if (event.type === 'ProfileUnmerged') state = { ...state, kept_apart: withOne(state.kept_apart, event.data.merged_profile_id) };
    else state = evolveProfile(state, event);
  }
  return state;
}

function exclusionsIn(events: readonly StreamEvent[]): Set<number> {
  const excluded = new Set<number>();
  for (const { event } of events) if (event.type === 'ProfileUnmerged') for (const revision of event.data.excluded_revisions) excluded.add(revision);
  return excluded;
}

function lastMergeOf(events: readonly StreamEvent[], mergedId: string): (StreamEvent & { event: ProfilesMerged }) | null {
  const undone = exclusionsIn(events);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.event.type === 'ProfilesMerged' && e.event.data.merged_profile_id === mergedId && !undone.has(e.revision)) return e as StreamEvent & { event: ProfilesMerged };
  }
  return null;
}

function lastIndexOf<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

const withOne = (ids: readonly string[], id: string): string[] => (ids.includes(id) ? [...ids] : [...ids, id]);
