import { ALL_TOKEN_SCOPES, TOKEN_SCOPES } from '@cds/contract';

/** The scopes a token may carry come from the API's contract; here is what each lets the console do. */
export const SCOPE = TOKEN_SCOPES;

export const SCOPE_LABELS: Record<string, string> = {
  [SCOPE.profileView]: 'view profiles',
  [SCOPE.profileCreate]: 'create profiles',
  [SCOPE.profileUpdate]: 'update profiles',
  [SCOPE.profileDelete]: 'delete profiles',
  [SCOPE.profileMerge]: 'merge and unmerge profiles',
  [SCOPE.schemaView]: 'view profile attributes',
  [SCOPE.schemaManage]: 'manage profile attributes',
  [SCOPE.rulesView]: 'view unification rules',
  [SCOPE.rulesManage]: 'manage unification rules',
};

export const ALL_SCOPES: readonly string[] = ALL_TOKEN_SCOPES;

export function describeScope(scope: string): string {
  const label = SCOPE_LABELS[scope];
  return label ? `${label} (${scope})` : scope;
}
