import { Decider } from '../decider/decider';

/**
 * The identity index: one stream per (tenant, rule property, value), written only by the
 * unifier, listing the profiles that carried the value, so a match never depends on a read model
 * that may lag. The stream's name is a keyed digest of property and value; the events carry
 * neither (older ones did).
 */
export type IdentityValueClaimed = {
  type: 'IdentityValueClaimed';
  data: { profile_id: string; at: string; property_name?: string; value?: string };
};

export const IDENTITY_CLAIM_EVENT_TYPES: ReadonlyArray<IdentityValueClaimed['type']> = ['IdentityValueClaimed'];

/** Claimants kept per value: the most recent ones (older ones have mostly merged since). */
export const MAX_IDENTITY_CLAIMANTS = 1000;

export interface IdentityClaimState {
  /** Profiles that claimed the value, oldest first. */
  claimants: readonly string[];
}

export type ClaimIdentityValue = { type: 'ClaimIdentityValue'; profile_id: string; at: string };

export const identityClaimDecider: Decider<ClaimIdentityValue, IdentityValueClaimed, IdentityClaimState> = {
  decide: (command, state) =>
    state.claimants.includes(command.profile_id) ? [] : [{ type: 'IdentityValueClaimed', data: { profile_id: command.profile_id, at: command.at } }],
  evolve: (state, event) => {
    const claimants = [...state.claimants, event.data.profile_id];
    return { claimants: claimants.length > MAX_IDENTITY_CLAIMANTS ? claimants.slice(-MAX_IDENTITY_CLAIMANTS) : claimants };
  },
  initialState: () => ({ claimants: [] }),
};
