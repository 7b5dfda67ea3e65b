import { MergeReason } from '../profile/profile-events';

/**
 * A tenant's merges are decided one at a time, in the order of its merge stream: each decision
 * is appended with the stream's expected revision and carried out (close the merged profile,
 * absorb it into the survivor) before the next is decided. So no two merges can cross (A into
 * B while B goes into A), and a decision interrupted by a crash is completed by the next one.
 */
export type MergeDecided = {
  type: 'MergeDecided';
  data: {
    survivor_id: string;
    merged_id: string;
    reason: MergeReason;
    triggered_by: 'survivor' | 'merged';
    at: string;
  };
};

/**
 * The identity index: one stream per (tenant, rule property, value) listing the profiles that
 * carried the value, so a match never depends on a read model that may lag.
 */
export type IdentityValueClaimed = {
  type: 'IdentityValueClaimed';
  data: { property_name: string; value: string; profile_id: string; at: string };
};

export const MERGE_DECISION_EVENT_TYPES: ReadonlyArray<MergeDecided['type']> = ['MergeDecided'];
export const IDENTITY_CLAIM_EVENT_TYPES: ReadonlyArray<IdentityValueClaimed['type']> = ['IdentityValueClaimed'];
