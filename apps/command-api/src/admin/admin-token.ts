import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CdsConfig } from '@cds/runtime';

export const ADMIN_TOKEN_FILE = 'admin.token';
export const ADMIN_TOKEN = Symbol('AdminToken');

/**
 * The operators' bearer token: CDS_ADMIN_TOKEN, or else one generated once into the data
 * directory (`admin.token`, readable by its owner only), where the `cds` tool finds it.
 */
export function resolveAdminToken(config: CdsConfig): string {
  if (config.admin.token) return config.admin.token;
  const path = join(config.dataDir, ADMIN_TOKEN_FILE);
  if (!existsSync(path)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(path, 'utf8').trim();
}
