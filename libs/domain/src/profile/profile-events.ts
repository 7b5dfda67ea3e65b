import { MergeRule } from '../merge/merge-strategy';
import { AttributeWrite } from '../schema/value-validation';
import { ProfileAttributes } from './profile-state';

export type WriteSource = 'http' | 'kafka';

/**
 * Why two profiles merged: a shared user_id (seeds 000/001), a unification rule (seed 002; its id
 * too, since names change), or someone merging them by hand.
 */
export type MergeReason = { kind: 'user_id' } | { kind: 'rule'; rule_name: string; rule_id?: string } | { kind: 'manual' };

/** What of a merged profile the survivor absorbs: its state at `merged_revision`. */
export interface ProfileSnapshot {
  profile_id: string;
  anonymous_profile_tracker: string;
  trackers: string[];
  user_id: string | null;
  verified: boolean;
  tracking_consent: boolean;
  created_at: string;
  attributes: ProfileAttributes;
  merged_from: MergedFrom[];
  /** Profiles merged into this one directly (absent in events written before it was recorded). */
  absorbed?: string[];
  /** Profiles this one was split from: rules never merge them again (a manual merge does). */
  kept_apart?: string[];
}

export interface MergedFrom {
  profile_id: string;
  /** The profile it merged into (this one, or one merged into it before); absent in older events. */
  into?: string;
  reason: MergeReason;
  /** Which side started the merge: the survivor or the profile merged into it. */
  triggered_by: 'survivor' | 'merged';
  merged_at: string;
}

/** A write the caller marked with an Idempotency-Key: the key, and what the request said. */
export interface IdempotentRequest {
  idempotency_key: string;
  /** A digest of the request (target and body): the same key with another request is refused. */
  request_fingerprint: string;
}

export type ProfileCreated = {
  type: 'ProfileCreated';
  data: {
    profile_id: string;
    anonymous_profile_tracker: string;
    /** false for profiles kept on legitimate interest (no tracking consent): they yield on merge. */
    tracking_consent: boolean;
    at: string;
  } & Partial<IdempotentRequest>;
};

export type AttributePatched = {
  type: 'AttributePatched';
  data: {
    profile_id: string;
    /**
     * The profile the caller addressed (by its id or its tracker) when the write landed here after
     * that profile merged in; splitting the merge off again gives the write back to it.
     * Absent when the caller addressed this profile itself.
     */
    addressed_id?: string;
    writes: AttributeWrite[];
    source: WriteSource;
    at: string;
  } & Partial<IdempotentRequest>;
};

export type UserStamped = {
  type: 'UserStamped';
  data: { profile_id: string; user_id: string; at: string };
};

/** Closes a profile that is merging away: from here on its id and tracker reach the survivor. */
export type ProfileMergedAway = {
  type: 'ProfileMergedAway';
  data: {
    profile_id: string;
    survivor_id: string;
    reason: MergeReason;
    triggered_by: 'survivor' | 'merged';
    at: string;
  };
};

/** In the survivor's stream: the merged profile folded in, as it was at merged_revision. */
export type ProfilesMerged = {
  type: 'ProfilesMerged';
  data: {
    survivor_id: string;
    merged_profile_id: string;
    reason: MergeReason;
    triggered_by: 'survivor' | 'merged';
    /** Which side plays `incoming` in every attribute's merge strategy (SPEC §5). */
    incoming: 'survivor' | 'merged';
    merged_revision: number;
    merged: ProfileSnapshot;
    /** The merge rule of every attribute either side holds, as the schema said at merge time. */
    rules: Record<string, MergeRule>;
    /** `sum` attributes whose two values added up beyond what they can hold: they kept the bound. */
    saturated?: string[];
    at: string;
  };
};

/** Erased: the profile and every profile merged into it (`erased`, whose keys were destroyed first). */
export type ProfileDeleted = {
  type: 'ProfileDeleted';
  data: { profile_id: string; at: string; erased?: string[] };
};

/** Someone asked for another profile to merge into this one (which survives); the unifier does it. */
export type MergeRequested = {
  type: 'MergeRequested';
  data: { profile_id: string; other_profile_id: string; request_id: string; at: string } & Partial<IdempotentRequest>;
};

/** Someone asked for a profile merged into this one to be split off again; the unifier does it. */
export type UnmergeRequested = {
  type: 'UnmergeRequested';
  data: { profile_id: string; merged_profile_id: string; request_id: string; at: string } & Partial<IdempotentRequest>;
};

/**
 * In the survivor's stream: a merged profile split off. `survivor` is this profile as it would be
 * had that merge never happened (its own events, every other merge, the writes addressed to it),
 * computed from the log and folded in as is. `excluded_revisions` are the events of this stream
 * that no longer count: the merge, and the writes that went back to the split-off profile.
 */
export type ProfileUnmerged = {
  type: 'ProfileUnmerged';
  data: {
    survivor_id: string;
    merged_profile_id: string;
    request_id: string;
    excluded_revisions: number[];
    survivor: ProfileSnapshot;
    at: string;
  };
};

/**
 * In the split-off profile's stream: it lives again as itself — its own events, and the writes
 * that reached the survivor through its id or tracker while it was merged (`transferred_revisions`
 * of the survivor's stream). A user stamp that came with a user_id merge is cancelled.
 */
export type ProfileRestored = {
  type: 'ProfileRestored';
  data: {
    profile_id: string;
    survivor_id: string;
    request_id: string;
    transferred_revisions: number[];
    user_stamp_cancelled: boolean;
    restored: ProfileSnapshot;
    at: string;
  };
};

/** A rule match the safeguards kept from merging (a pair split apart, or a rule's max_profiles reached). */
export type MergeBlocked = {
  type: 'MergeBlocked';
  data: { profile_id: string; other_profile_id: string; rule_name: string; reason: MergeBlockReason; at: string };
};

export type MergeBlockReason = 'kept_apart' | 'max_profiles';

/** A tracker (a browser's cookie) stops leading to this profile: its session ended. The profile stays. */
export type TrackerReleased = {
  type: 'TrackerReleased';
  data: { profile_id: string; tracker: string; at: string };
};

export type ProfileEvent =
  | ProfileCreated
  | AttributePatched
  | UserStamped
  | ProfileMergedAway
  | ProfilesMerged
  | ProfileDeleted
  | MergeRequested
  | UnmergeRequested
  | ProfileUnmerged
  | ProfileRestored
  | MergeBlocked
  | TrackerReleased;

export const PROFILE_EVENT_TYPES: ReadonlyArray<ProfileEvent['type']> = [
  'ProfileCreated',
  'AttributePatched',
  'UserStamped',
  'ProfileMergedAway',
  'ProfilesMerged',
  'ProfileDeleted',
  'MergeRequested',
  'UnmergeRequested',
  'ProfileUnmerged',
  'ProfileRestored',
  'MergeBlocked',
  'TrackerReleased',
];
