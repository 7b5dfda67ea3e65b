import { JsonValue } from '../shared/json';
import { MergeReason } from './profile-events';
import { ProfileState } from './profile-state';

/** The unified profile as the API returns it (SPEC §6). */
export interface UnifiedProfile {
  profile_id: string;
  user_id: string | null;
  anonymous_profile_tracker: string;
  verified: boolean;
  meta: { created_at: string; updated_at: string; location: string };
  identity_attributes: Record<string, JsonValue>;
  traits: Record<string, JsonValue>;
  application_data: Record<string, Record<string, JsonValue>>;
  merged_from: Array<{
    profile_id: string;
    /** The profile it merged into: this one, or one merged into it before (absent for merges recorded before this was kept). */
    merged_into?: string;
    reason: MergeReason['kind'];
    rule_name?: string;
    triggered_by: 'survivor' | 'merged';
    merged_at: string;
  }>;
}

export function profileLocation(tenant: string, profileId: string): string {
  return `${tenant}/cds/api/v1/profiles/${profileId}`;
}

export function toUnifiedProfile(tenant: string, state: ProfileState): UnifiedProfile {
  return {
    profile_id: state.profile_id,
    user_id: state.user_id,
    anonymous_profile_tracker: state.anonymous_profile_tracker,
    verified: state.verified,
    meta: {
      created_at: state.created_at,
      updated_at: state.updated_at,
      location: profileLocation(tenant, state.profile_id),
    },
    identity_attributes: state.attributes.identity_attributes,
    traits: state.attributes.traits,
    application_data: state.attributes.application_data,
    merged_from: state.merged_from.map((m) => ({
      profile_id: m.profile_id,
      ...(m.into !== undefined ? { merged_into: m.into } : {}),
      reason: m.reason.kind,
      ...(m.reason.kind === 'rule' ? { rule_name: m.reason.rule_name } : {}),
      triggered_by: m.triggered_by,
      merged_at: m.merged_at,
    })),
  };
}
