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
