import { Decider } from '../decider/decider';
import { MergeRule } from '../merge/merge-strategy';
import { AttributeWrite } from '../schema/value-validation';
import { conflict, DomainError, notFound } from '../shared/errors';
import { evolveProfile } from './evolve-profile';
import { saturatedSlots } from './merge-saturation';
import { IdempotentRequest, MergeReason, ProfileEvent, ProfileSnapshot, WriteSource } from './profile-events';
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
  | { type: 'DeleteProfile'; at: string };

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
      return [{ type: 'ProfileDeleted', data: { profile_id, at: command.at } }];
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
  };
}

/** The profile stream's decider: the command side, the projector and replay share it. */
export const profileDecider: Decider<ProfileCommand, ProfileEvent, ProfileState> = {
  decide: decideProfile,
  evolve: evolveProfile,
  initialState: () => initialProfileState(),
};
