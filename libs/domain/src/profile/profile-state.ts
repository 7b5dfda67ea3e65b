import { JsonValue } from '../shared/json';
import { MergeBlockReason, MergedFrom } from './profile-events';

export interface ProfileAttributes {
  identity_attributes: Record<string, JsonValue>;
  traits: Record<string, JsonValue>;
  /** Keyed by application client id. */
  application_data: Record<string, Record<string, JsonValue>>;
}

export type ProfileStatus = 'absent' | 'active' | 'merged' | 'deleted';

export interface ProfileState {
  status: ProfileStatus;
  profile_id: string;
  anonymous_profile_tracker: string;
  /** Its own tracker and those of every profile merged into it. */
  trackers: string[];
  user_id: string | null;
  verified: boolean;
  tracking_consent: boolean;
  created_at: string;
  updated_at: string;
  attributes: ProfileAttributes;
  merged_from: MergedFrom[];
  /** Profiles merged into this one directly, whose merge is in effect (one can be split off again). */
  absorbed: string[];
  /** Profiles split off from this one (or it from them): rules never merge them again; a manual merge does. */
  kept_apart: string[];
  /** Rule matches the safeguards blocked, recorded once each. */
  merge_blocks: Array<{ profile_id: string; rule_name: string; reason: MergeBlockReason }>;
  /** Set once the profile merged away. */
  merged_into: string | null;
}

export const emptyAttributes = (): ProfileAttributes => ({
  identity_attributes: {},
  traits: {},
  application_data: {},
});

export const initialProfileState = (profileId = ''): ProfileState => ({
  status: 'absent',
  profile_id: profileId,
  anonymous_profile_tracker: '',
  trackers: [],
  user_id: null,
  verified: false,
  tracking_consent: true,
  created_at: '',
  updated_at: '',
  attributes: emptyAttributes(),
  merged_from: [],
  absorbed: [],
  kept_apart: [],
  merge_blocks: [],
  merged_into: null,
});

/**
 * `state` with `changes` made. The fold builds every state with this one literal (or
 * `initialProfileState`, whose fields come in the same order), so all states share one hidden
 * class; spreading a state (`{ ...state, ...changes }`) costs several times as much and leaves
 * states of many shapes.
 */
export function changeState(state: ProfileState, changes: Partial<ProfileState>): ProfileState {
  return {
    status: changes.status ?? state.status,
    profile_id: changes.profile_id ?? state.profile_id,
    anonymous_profile_tracker: changes.anonymous_profile_tracker ?? state.anonymous_profile_tracker,
    trackers: changes.trackers ?? state.trackers,
    user_id: changes.user_id !== undefined ? changes.user_id : state.user_id,
    verified: changes.verified ?? state.verified,
    tracking_consent: changes.tracking_consent ?? state.tracking_consent,
    created_at: changes.created_at ?? state.created_at,
    updated_at: changes.updated_at ?? state.updated_at,
    attributes: changes.attributes ?? state.attributes,
    merged_from: changes.merged_from ?? state.merged_from,
    absorbed: changes.absorbed ?? state.absorbed,
    kept_apart: changes.kept_apart ?? state.kept_apart,
    merge_blocks: changes.merge_blocks ?? state.merge_blocks,
    merged_into: changes.merged_into !== undefined ? changes.merged_into : state.merged_into,
  };
}
