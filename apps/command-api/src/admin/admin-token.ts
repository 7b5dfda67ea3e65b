import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createFileOnce } from '@cds/adapters-embedded';
import { CdsConfig } from '@cds/runtime';

export const ADMIN_TOKEN_FILE = 'admin.token';
export const ADMIN_TOKEN = Symbol('AdminToken');

/**
 * The operators' bearer token: CDS_ADMIN_TOKEN, or else one generated once into the data
 * directory (`admin.token`, readable by its owner only), where the `cds` tool finds it.
 */
export function resolveAdminToken(config: CdsConfig): string {
  if (config.admin.token) return config.admin.token;
  return createFileOnce(join(config.dataDir, ADMIN_TOKEN_FILE), `${randomBytes(32).toString('base64url')}\n`).trim();
}
