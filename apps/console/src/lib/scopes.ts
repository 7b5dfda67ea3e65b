/** The scopes a token may carry (the API's `auth/scopes.ts`), with what each lets the console do. */
export const SCOPE = {
  profileCreate: 'internal_cds_profile_create',
  profileUpdate: 'internal_cds_profile_update',
  profileView: 'internal_cds_profile_view',
  profileDelete: 'internal_cds_profile_delete',
  schemaView: 'internal_cds_profile_schema_view',
  schemaManage: 'internal_cds_profile_schema_manage',
  rulesView: 'internal_cds_unification_rules_view',
  rulesManage: 'internal_cds_unification_rules_manage',
} as const;

export const SCOPE_LABELS: Record<string, string> = {
  [SCOPE.profileView]: 'view profiles',
  [SCOPE.profileCreate]: 'create profiles',
  [SCOPE.profileUpdate]: 'update profiles',
  [SCOPE.profileDelete]: 'delete profiles',
  [SCOPE.schemaView]: 'view profile attributes',
  [SCOPE.schemaManage]: 'manage profile attributes',
  [SCOPE.rulesView]: 'view unification rules',
  [SCOPE.rulesManage]: 'manage unification rules',
};

export const ALL_SCOPES: readonly string[] = Object.values(SCOPE);

export function describeScope(scope: string): string {
  const label = SCOPE_LABELS[scope];
  return label ? `${label} (${scope})` : scope;
}
