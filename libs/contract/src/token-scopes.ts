/** The scopes a bearer token may carry; a token asked for without `scope` gets all of them. */
export const TOKEN_SCOPES = {
  profileCreate: 'internal_cds_profile_create',
  profileUpdate: 'internal_cds_profile_update',
  profileView: 'internal_cds_profile_view',
  profileDelete: 'internal_cds_profile_delete',
  /** Merging profiles by hand and splitting a merge off again. */
  profileMerge: 'internal_cds_profile_merge',
  schemaView: 'internal_cds_profile_schema_view',
  schemaManage: 'internal_cds_profile_schema_manage',
  rulesView: 'internal_cds_unification_rules_view',
  rulesManage: 'internal_cds_unification_rules_manage',
} as const;

export type TokenScope = (typeof TOKEN_SCOPES)[keyof typeof TOKEN_SCOPES];
export const ALL_TOKEN_SCOPES: readonly TokenScope[] = Object.values(TOKEN_SCOPES);
