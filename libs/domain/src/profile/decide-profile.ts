import { Decider } from '../decider/decider';
import { MergeRule } from '../merge/merge-strategy';
import { AttributeWrite } from '../schema/value-validation';
import { conflict, DomainError, notFound } from '../shared/errors';
import { evolveProfile } from './evolve-profile';
import { saturatedSlots } from './merge-saturation';
import { IdempotentRequest, MergeBlockReason, MergeReason, ProfileEvent, ProfileSnapshot, WriteSource } from './profile-events';
import { initialProfileState, ProfileState } from './profile-state';
import { assertWritesInRange } from './write-range';

export type ProfileCommand =
  | {
      type: 'CreateProfile';
      profile_id: string;
      anonymous_profile_tracker: string;
      tracking_consent: boolean;
      /** Attributes the create request carried, written in the same append. */
      initial_writes?: AttributeWrite[];
      idempotency?: IdempotentRequest;
      at: string;
    }
  | {
      type: 'PatchAttributes';
      writes: AttributeWrite[];
      source: WriteSource;
      /** The profile the caller addressed; this one, or one that merged into it. */
      addressed_id: string;
      idempotency?: IdempotentRequest;
      at: string;
    }
  | { type: 'StampUser'; user_id: string; at: string }
  | { type: 'MergeAway'; survivor_id: string; reason: MergeReason; triggered_by: 'survivor' | 'merged'; at: string }
  | {
      type: 'AbsorbProfile';
      merged: ProfileSnapshot;
      merged_revision: number;
      reason: MergeReason;
      triggered_by: 'survivor' | 'merged';
      /** The profile that triggered the merge was kept on legitimate interest: roles reverse. */
      trigger_is_legitimate_interest: boolean;
      rules: Record<string, MergeRule>;
      at: string;
    }
  | { type: 'DeleteProfile'; at: string; erased?: string[] }
  /** By hand: `other` (live) merges into this profile, which survives. */
  | { type: 'RequestMerge'; other: ProfileState; request_id: string; idempotency?: IdempotentRequest; at: string }
  | { type: 'RequestUnmerge'; merged_profile_id: string; request_id: string; idempotency?: IdempotentRequest; at: string }
  /** The unifier's split, in the survivor's stream (computed by planUnmerge). */
  | { type: 'SplitOff'; merged_profile_id: string; request_id: string; excluded_revisions: number[]; survivor: ProfileSnapshot; at: string }
  /** The unifier's split, in the split-off profile's stream. */
  | {
      type: 'Restore';
      survivor_id: string;
      request_id: string;
      transferred_revisions: number[];
      user_stamp_cancelled: boolean;
      restored: ProfileSnapshot;
      at: string;
    }
  | { type: 'RecordBlockedMerge'; other_profile_id: string; rule_name: string; reason: MergeBlockReason; at: string }
  | { type: 'ReleaseTracker'; tracker: string; at: string };

/** A command reached a profile that merged away; the caller retries on the survivor. */
export class ProfileMergedAwayError extends DomainError {
  constructor(readonly profileId: string, readonly survivorId: string) {
    super('conflict', 'profile_merged', `Profile ${profileId} merged into ${survivorId}`);
  }
}

/** decide(command, state) → events. Time and ids come in with the command. */
export function decideProfile(command: ProfileCommand, state: ProfileState): ProfileEvent[] {
  if (command.type === 'CreateProfile') {
    if (state.status !== 'absent') throw conflict('profile_exists', `Profile ${command.profile_id} exists already`);
    const { profile_id, anonymous_profile_tracker, tracking_consent, initial_writes = [], at } = command;
    const created: ProfileEvent = {
      type: 'ProfileCreated',
      data: { profile_id, anonymous_profile_tracker, tracking_consent, ...command.idempotency, at },
    };
    if (initial_writes.length === 0) return [created];
    return [created, { type: 'AttributePatched', data: { profile_id, writes: initial_writes, source: 'http', at } }];
  }
  if (command.type === 'Restore') return decideRestore(command, state);
  requireActive(state);
  const profile_id = state.profile_id;
  switch (command.type) {
    case 'PatchAttributes':
      if (command.writes.length === 0) return [];
      assertWritesInRange(state.attributes, command.writes);
      return [
        {
          type: 'AttributePatched',
          data: {
            profile_id,
            ...(command.addressed_id !== profile_id ? { addressed_id: command.addressed_id } : {}),
            writes: command.writes,
            source: command.source,
            ...command.idempotency,
            at: command.at,
          },
        },
      ];
    case 'StampUser':
      if (state.user_id === command.user_id) return [];
      if (state.user_id !== null) {
        throw conflict('profile_has_other_user', 'This profile belongs to another user; it is neither re-stamped nor merged', [
          { field: 'user_id', reason: 'the profile already carries a different user_id' },
        ]);
      }
      return [{ type: 'UserStamped', data: { profile_id, user_id: command.user_id, at: command.at } }];
    case 'MergeAway':
      if (command.survivor_id === profile_id) throw conflict('merge_into_self', 'A profile cannot merge into itself');
      return [
        {
          type: 'ProfileMergedAway',
          data: { profile_id, survivor_id: command.survivor_id, reason: command.reason, triggered_by: command.triggered_by, at: command.at },
        },
      ];
    case 'AbsorbProfile':
      return decideAbsorb(command, state);
    case 'DeleteProfile':
      return [{ type: 'ProfileDeleted', data: { profile_id, at: command.at, ...(command.erased ? { erased: command.erased } : {}) } }];
    case 'RequestMerge':
      return decideRequestMerge(command, state);
    case 'RequestUnmerge':
      if (!state.absorbed.includes(command.merged_profile_id)) {
        throw conflict('not_merged_here', `Profile ${command.merged_profile_id} is not merged into ${profile_id} (or was split off already)`, [
          { field: 'profile_id', reason: 'not a profile merged into this one directly' },
        ]);
      }
      return [
        {
          type: 'UnmergeRequested',
          data: { profile_id, merged_profile_id: command.merged_profile_id, request_id: command.request_id, ...command.idempotency, at: command.at },
        },
      ];
    case 'SplitOff': {
      // Carried out already (the unifier decides a request again after a restart).
      if (!state.absorbed.includes(command.merged_profile_id)) return [];
      const { merged_profile_id, request_id, excluded_revisions, survivor, at } = command;
      return [{ type: 'ProfileUnmerged', data: { survivor_id: profile_id, merged_profile_id, request_id, excluded_revisions, survivor, at } }];
    }
    case 'ReleaseTracker':
      if (!state.trackers.includes(command.tracker)) return [];
      return [{ type: 'TrackerReleased', data: { profile_id, tracker: command.tracker, at: command.at } }];
    case 'RecordBlockedMerge': {
      const { other_profile_id, rule_name, reason, at } = command;
      if (state.merge_blocks.some((b) => b.profile_id === other_profile_id && b.reason === reason)) return [];
      return [{ type: 'MergeBlocked', data: { profile_id, other_profile_id, rule_name, reason, at } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled profile command ${JSON.stringify(unhandled)}`);
    }
  }
}

function decideAbsorb(command: Extract<ProfileCommand, { type: 'AbsorbProfile' }>, state: ProfileState): ProfileEvent[] {
  const mergedId = command.merged.profile_id;
  // Absorbing twice would double `sum` values: completing an interrupted merge must be a no-op.
  if (state.merged_from.some((m) => m.profile_id === mergedId)) return [];
  if (mergedId === state.profile_id) throw conflict('merge_into_self', 'A profile cannot merge into itself');
  if (state.user_id !== null && command.merged.user_id !== null && state.user_id !== command.merged.user_id) {
    throw conflict('different_users', 'Profiles of different users never merge');
  }
  const triggerSide = command.triggered_by;
  const otherSide = triggerSide === 'merged' ? 'survivor' : 'merged';
  const saturated = saturatedSlots(state.attributes, command.merged.attributes, command.rules);
  return [
    {
      type: 'ProfilesMerged',
      data: {
        survivor_id: state.profile_id,
        merged_profile_id: mergedId,
        reason: command.reason,
        triggered_by: triggerSide,
        incoming: command.trigger_is_legitimate_interest ? otherSide : triggerSide,
        merged_revision: command.merged_revision,
        merged: command.merged,
        rules: command.rules,
        ...(saturated.length > 0 ? { saturated } : {}),
        at: command.at,
      },
    },
  ];
}

function decideRequestMerge(command: Extract<ProfileCommand, { type: 'RequestMerge' }>, state: ProfileState): ProfileEvent[] {
  const other = command.other;
  if (other.profile_id === state.profile_id) throw conflict('merge_into_self', 'A profile cannot merge into itself');
  if (other.status !== 'active') throw notFound('profile_not_found', `Profile ${other.profile_id} does not exist`);
  if (state.user_id !== null && other.user_id !== null && state.user_id !== other.user_id) {
    throw conflict('different_users', 'Profiles of different users never merge', [{ field: 'profile_id', reason: 'carries a different user_id' }]);
  }
  return [
    {
      type: 'MergeRequested',
      data: { profile_id: state.profile_id, other_profile_id: other.profile_id, request_id: command.request_id, ...command.idempotency, at: command.at },
    },
  ];
}

/** A split-off profile lives again, once: only while it is still merged into that survivor. */
function decideRestore(command: Extract<ProfileCommand, { type: 'Restore' }>, state: ProfileState): ProfileEvent[] {
  if (state.status !== 'merged' || state.merged_into !== command.survivor_id) return [];
  const { survivor_id, request_id, transferred_revisions, user_stamp_cancelled, restored, at } = command;
  return [{ type: 'ProfileRestored', data: { profile_id: state.profile_id, survivor_id, request_id, transferred_revisions, user_stamp_cancelled, restored, at } }];
}

function requireActive(state: ProfileState): void {
  if (state.status === 'active') return;
  if (state.status === 'merged' && state.merged_into) throw new ProfileMergedAwayError(state.profile_id, state.merged_into);
  throw notFound('profile_not_found', `Profile ${state.profile_id || ''} does not exist`.trim());
}

export function snapshotOf(state: ProfileState): ProfileSnapshot {
  return {
    profile_id: state.profile_id,
    anonymous_profile_tracker: state.anonymous_profile_tracker,
    trackers: state.trackers,
    user_id: state.user_id,
    verified: state.verified,
    tracking_consent: state.tracking_consent,
    created_at: state.created_at,
    attributes: state.attributes,
    merged_from: state.merged_from,
    absorbed: state.absorbed,
    kept_apart: state.kept_apart,
  };
}

/** The profile stream's decider: the command side, the projector and replay share it. */
export const profileDecider: Decider<ProfileCommand, ProfileEvent, ProfileState> = {
  decide: decideProfile,
  evolve: evolveProfile,
  initialState: () => initialProfileState(),
};
