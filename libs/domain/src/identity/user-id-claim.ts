/**
 * The user_id index: one stream per (tenant, user_id) whose last claim names the permanent
 * profile of that user. Appending with expected revision makes "first profile to carry the
 * user_id" a decision the log takes once, however many sign-ins race.
 */
export type UserIdClaimed = {
  type: 'UserIdClaimed';
  data: { user_id: string; profile_id: string; at: string };
};

export const USER_ID_CLAIM_EVENT_TYPES: ReadonlyArray<UserIdClaimed['type']> = ['UserIdClaimed'];
