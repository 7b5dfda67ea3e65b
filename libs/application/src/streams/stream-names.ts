import { validationError } from '@cds/domain';

/**
 * Stream names are part of the stored contract. A tenant handle holds no dot, so
 * `<category>-<tenant>.<key>` parses back without ambiguity, and `<category>-` selects a category.
 */
export const TENANT_HANDLE = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;

export const CATEGORY = {
  profile: 'profile',
  schema: 'schema',
  rules: 'rules',
  userId: 'userid',
  identity: 'identity',
} as const;

export function assertTenant(tenant: string): string {
  if (!TENANT_HANDLE.test(tenant)) {
    throw validationError('invalid_organization', 'Organization handles are lower-case letters, digits, _ and -, at most 64');
  }
  return tenant;
}

export const profileStream = (tenant: string, profileId: string) => `${CATEGORY.profile}-${tenant}.${profileId}`;
export const schemaStream = (tenant: string) => `${CATEGORY.schema}-${tenant}`;
export const rulesStream = (tenant: string) => `${CATEGORY.rules}-${tenant}`;
/**
 * A user's claim stream is named by a keyed digest of the user_id (never the user_id: stream names
 * are visible to operators, logged, and outlive an erasure).
 */
export const userIdStream = (tenant: string, keyedUserId: string) => `${CATEGORY.userId}-${tenant}.${keyedUserId}`;

/** An identity value's claim stream is named by a keyed digest of property and value, like a user's. */
export const identityStream = (tenant: string, keyedValue: string) => `${CATEGORY.identity}-${tenant}.${keyedValue}`;

export interface ParsedStream {
  category: string;
  tenant: string;
  key?: string;
}

export function parseStreamName(streamId: string): ParsedStream | null {
  const dash = streamId.indexOf('-');
  if (dash <= 0) return null;
  const category = streamId.slice(0, dash);
  const rest = streamId.slice(dash + 1);
  const dot = rest.indexOf('.');
  return dot === -1 ? { category, tenant: rest } : { category, tenant: rest.slice(0, dot), key: rest.slice(dot + 1) };
}
