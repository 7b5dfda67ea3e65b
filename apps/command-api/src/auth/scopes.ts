/** SPEC §6: the scopes a token may carry. A token asked without `scope` gets all of them. */
export const SCOPES = {
  profileCreate: 'internal_cds_profile_create',
  profileUpdate: 'internal_cds_profile_update',
  profileView: 'internal_cds_profile_view',
  profileDelete: 'internal_cds_profile_delete',
  schemaView: 'internal_cds_profile_schema_view',
  schemaManage: 'internal_cds_profile_schema_manage',
  rulesView: 'internal_cds_unification_rules_view',
  rulesManage: 'internal_cds_unification_rules_manage',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);
export const AUDIENCE = 'iam-cds';
