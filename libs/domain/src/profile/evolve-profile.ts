import { assertNever } from '../shared/errors';
import { applyWrites, mergeAttributes } from './attribute-slots';
import { MergeBlocked, ProfileEvent, ProfileSnapshot, ProfilesMerged } from './profile-events';
import { changeState, initialProfileState, ProfileState } from './profile-state';

/**
 * The one fold of a profile stream. The command side, the projector, replay and rebuild all use
 * it, so a read model is exactly what the log says. Self-contained: ProfilesMerged carries the
 * merged profile's snapshot and merge rules, so no other stream is read.
 */
export function evolveProfile(state: ProfileState, event: ProfileEvent): ProfileState {
  switch (event.type) {
    case 'ProfileCreated': {
      const d = event.data;
      return changeState(initialProfileState(d.profile_id), {
        status: 'active',
        anonymous_profile_tracker: d.anonymous_profile_tracker,
        trackers: [d.anonymous_profile_tracker],
        tracking_consent: d.tracking_consent,
        created_at: d.at,
        updated_at: d.at,
      });
    }
    case 'AttributePatched': {
      return changeState(state, { attributes: applyWrites(state.attributes, event.data.writes), updated_at: event.data.at });
    }
    case 'UserStamped':
      // Signing in is what verifies a profile (seed 002: a registered member).
      return changeState(state, { user_id: event.data.user_id, verified: true, updated_at: event.data.at });
    case 'ProfileMergedAway':
      // What it held lives on in its survivor: the closed profile keeps only where it went.
      return changeState(initialProfileState(state.profile_id), {
        status: 'merged',
        merged_into: event.data.survivor_id,
        created_at: state.created_at,
        updated_at: event.data.at,
      });
    case 'ProfilesMerged':
      return absorb(state, event.data);
    case 'ProfileDeleted':
      // Erasure: nothing of the person stays in the fold, only that the id existed.
      return changeState(initialProfileState(state.profile_id), {
        status: 'deleted',
        created_at: state.created_at,
        updated_at: event.data.at,
      });
    case 'MergeRequested':
    case 'UnmergeRequested':
      // Requests: what they lead to is written by the unifier, as events of its own.
      return state;
    case 'ProfileUnmerged':
      return fromSnapshot(state, event.data.survivor, event.data.at);
    case 'ProfileRestored':
      return fromSnapshot(state, event.data.restored, event.data.at);
    case 'MergeBlocked':
      return recordBlock(state, event.data);
    case 'TrackerReleased':
      return changeState(state, { trackers: state.trackers.filter((tracker) => tracker !== event.data.tracker), updated_at: event.data.at });
    default:
      return assertNever(event);
  }
}

export function foldProfile(events: Iterable<ProfileEvent>, from: ProfileState = initialProfileState()): ProfileState {
  let state = from;
  for (const event of events) state = evolveProfile(state, event);
  return state;
}

/** SPEC §5 "The merge itself". */
function absorb(survivor: ProfileState, d: ProfilesMerged['data']): ProfileState {
  const merged = d.merged;
  const [existing, incoming] =
    d.incoming === 'merged' ? [survivor.attributes, merged.attributes] : [merged.attributes, survivor.attributes];
  const trackers = [...survivor.trackers];
  for (const t of merged.trackers) if (!trackers.includes(t)) trackers.push(t);
  return changeState(survivor, {
    trackers,
    user_id: survivor.user_id ?? merged.user_id,
    verified: survivor.verified || merged.verified,
    tracking_consent: survivor.tracking_consent || merged.tracking_consent,
    created_at: survivor.created_at < merged.created_at ? survivor.created_at : merged.created_at,
    updated_at: d.at,
    attributes: mergeAttributes(existing, incoming, d.rules),
    merged_from: [
      ...survivor.merged_from,
      { profile_id: merged.profile_id, into: survivor.profile_id, reason: d.reason, triggered_by: d.triggered_by, merged_at: d.at },
      ...merged.merged_from,
    ],
    absorbed: [...survivor.absorbed, merged.profile_id],
    kept_apart: keptApartAfterMerge(survivor, merged),
  });
}

/**
 * Both sides' kept-apart pairs stay, but not between profiles that are one now: rules never join
 * a kept-apart pair, so if they are one, someone merged them by hand (or their user signed in).
 */
function keptApartAfterMerge(survivor: ProfileState, merged: ProfileSnapshot): string[] {
  const together = new Set([
    survivor.profile_id,
    ...survivor.absorbed,
    ...survivor.merged_from.map((m) => m.profile_id),
    merged.profile_id,
    ...(merged.absorbed ?? []),
    ...merged.merged_from.map((m) => m.profile_id),
  ]);
  const kept = [...survivor.kept_apart];
  for (const id of merged.kept_apart ?? []) if (!kept.includes(id)) kept.push(id);
  return kept.filter((id) => !together.has(id));
}

/** A profile as the unifier recomputed it from the log (split off, or what stayed). */
function fromSnapshot(state: ProfileState, snapshot: ProfileSnapshot, at: string): ProfileState {
  return changeState(initialProfileState(snapshot.profile_id), {
    status: 'active',
    anonymous_profile_tracker: snapshot.anonymous_profile_tracker,
    trackers: snapshot.trackers,
    user_id: snapshot.user_id,
    verified: snapshot.verified,
    tracking_consent: snapshot.tracking_consent,
    created_at: snapshot.created_at,
    updated_at: at,
    attributes: snapshot.attributes,
    merged_from: snapshot.merged_from,
    absorbed: snapshot.absorbed ?? [],
    kept_apart: snapshot.kept_apart ?? [],
    merge_blocks: state.merge_blocks,
  });
}

/** Blocks are recorded once per other profile and reason, and only the most recent few are kept. */
const MAX_MERGE_BLOCKS = 50;

function recordBlock(state: ProfileState, block: MergeBlocked['data']): ProfileState {
  const { other_profile_id: profile_id, rule_name, reason } = block;
  const others = state.merge_blocks.filter((b) => !(b.profile_id === profile_id && b.reason === reason));
  return changeState(state, { merge_blocks: [...others, { profile_id, rule_name, reason }].slice(-MAX_MERGE_BLOCKS) });
}
