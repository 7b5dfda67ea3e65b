/** What a profile id looks like (a UUID), and what to say when something else was entered. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const PROFILE_ID_PROBLEM = 'A profile id is a UUID, such as 3f1e2d3c-4b5a-4968-8776-655443322110.';

export function isProfileId(text: string): boolean {
  return UUID.test(text);
}
