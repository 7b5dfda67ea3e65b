/** The scopes a token may carry live in the API's contract with its clients. */
export { ALL_TOKEN_SCOPES as ALL_SCOPES, TOKEN_SCOPES as SCOPES } from '@cds/contract';
export type { TokenScope as Scope } from '@cds/contract';
export const AUDIENCE = 'iam-cds';
