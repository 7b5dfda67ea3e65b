import { createHash } from 'node:crypto';
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
/** The user_id is hashed: stream names are visible to operators and may be logged. */
export const userIdStream = (tenant: string, userId: string) =>
  `${CATEGORY.userId}-${tenant}.${createHash('sha256').update(userId).digest('hex')}`;

/** Identity values are hashed for the same reason as user ids. */
export const identityStream = (tenant: string, propertyName: string, value: string) =>
  `${CATEGORY.identity}-${tenant}.${createHash('sha256').update(`${propertyName}\n${value}`).digest('hex')}`;

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
