import { ProfileState } from '../profile/profile-state';

export type UserUnification =
  /** The profile is (or becomes) the user's permanent profile: record it in the user's claim. */
  | { kind: 'claim' }
  /** The user's permanent profile is another live one: the profile merges into it. */
  | { kind: 'merge'; survivor: ProfileState; merged: ProfileState }
  | { kind: 'nothing' };

/**
 * By user_id: the first live profile to carry a user_id is the user's permanent profile; any
 * other live profile carrying it merges into that one, whatever made it (a sign-in on another
 * device, or data left by a fault). `owner` is the live profile the user's claim leads to.
 */
export function unifyByUser(profile: ProfileState, userId: string, owner: ProfileState | null): UserUnification {
  if (profile.status !== 'active' || profile.user_id !== userId) return { kind: 'nothing' };
  if (owner === null || owner.status !== 'active' || owner.user_id !== userId) return { kind: 'claim' };
  if (owner.profile_id === profile.profile_id) return { kind: 'nothing' };
  return { kind: 'merge', survivor: owner, merged: profile };
}
