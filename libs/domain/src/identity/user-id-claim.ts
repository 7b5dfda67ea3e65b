import { Decider } from '../decider/decider';

/**
 * The user_id index: one stream per (tenant, user_id), written only by the unifier, whose last
 * claim names the user's permanent profile. The stream's name is a keyed digest of the user_id;
 * the events carry no user_id (older ones did).
 */
export type UserIdClaimed = {
  type: 'UserIdClaimed';
  data: { profile_id: string; at: string; user_id?: string };
};

export const USER_ID_CLAIM_EVENT_TYPES: ReadonlyArray<UserIdClaimed['type']> = ['UserIdClaimed'];

export interface UserIdClaimState {
  /** The profile the last claim names, or null before the user's first sign-in. */
  owner: string | null;
}

export type ClaimUserId = { type: 'ClaimUserId'; profile_id: string; at: string };

/** The unifier decides who owns a user_id; the stream records it once per change of owner. */
export const userIdClaimDecider: Decider<ClaimUserId, UserIdClaimed, UserIdClaimState> = {
  decide: (command, state) =>
    state.owner === command.profile_id ? [] : [{ type: 'UserIdClaimed', data: { profile_id: command.profile_id, at: command.at } }],
  evolve: (_state, event) => ({ owner: event.data.profile_id }),
  initialState: () => ({ owner: null }),
};
