import { ApiError, ErrorDetail } from '../api/client';
import { describeScope } from './scopes';

export interface Explanation {
  title: string;
  message: string;
  hint?: string;
  code?: string;
  details: ErrorDetail[];
  /** The scopes a 403 said were missing. */
  missingScopes: string[];
}

const SCOPE_NAME = /internal_cds_[a-z_]+/g;

/** Turns whatever went wrong into words for people: the API's message, a title and what to do. */
export function explain(error: unknown): Explanation {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { title: 'Something went wrong', message, hint: 'Reload the page and try again.', details: [], missingScopes: [] };
  }
  const base = { message: error.message, code: error.code, details: error.details, missingScopes: [] as string[] };
  switch (error.code) {
    case 'network_error':
      return { ...base, title: 'The service cannot be reached', hint: 'Check your connection, then try again.' };
    case 'invalid_client':
      return { ...base, title: 'Sign-in failed', hint: 'Check the client id and the client secret.' };
    case 'invalid_scope':
      return { ...base, title: 'Sign-in failed', hint: 'Ask only for scopes the service knows.' };
    case 'invalid_organization':
      return { ...base, title: 'Not an organization handle', hint: 'Use the organization handle from your tenant URL, such as "acme".' };
    case 'insufficient_scope': {
      const missingScopes = error.message.match(SCOPE_NAME) ?? [];
      const needs = missingScopes.length > 0 ? missingScopes.map(describeScope).join(', ') : 'a scope it does not have';
      return {
        ...base,
        missingScopes,
        title: 'Missing permission',
        message: `Your sign-in does not allow this: it needs ${needs}.`,
        hint: 'Sign out and sign in again with that scope ticked, or ask an administrator for a client that has it.',
      };
    }
    case 'wrong_organization':
      return { ...base, title: 'Wrong organization', hint: 'Sign out and sign in to the organization you want to work in.' };
    case 'different_users':
      return { ...base, title: 'These profiles cannot merge', hint: 'Each carries another user_id: they belong to different people.' };
    case 'not_merged_here':
      return { ...base, title: 'Nothing to unmerge', hint: 'Reload the profile: its lineage has changed since it was shown.' };
    case 'history_unavailable':
      return { ...base, title: 'History is not available', hint: 'The profile as it is now is shown above; its history needs a newer service.' };
  }
  if (error.status === 401) {
    return { ...base, title: 'Your session has ended', hint: 'Sign in again to go on.' };
  }
  if (error.status === 403) return { ...base, title: 'Not allowed', hint: 'Sign in with a client that is allowed to do this.' };
  if (error.status === 404) return { ...base, title: 'Not found', hint: 'It may have been removed, or the link is out of date.' };
  if (error.status === 409) return { ...base, title: 'That conflicts with what is there', hint: 'Reload to see the current state, then try again.' };
  if (error.status === 400 || error.status === 413 || error.status === 415) {
    return { ...base, title: 'Please check what you entered' };
  }
  if (error.status >= 500) {
    return { ...base, title: 'The service failed', hint: 'Nothing you entered was at fault. Try again in a moment.' };
  }
  return { ...base, title: 'The request failed' };
}
