import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { generateMasterKey, MasterKey, parseMasterKey } from '@cds/application';
import { syncDirectory } from './sync-directory';

export const MASTER_KEY_FILE = 'master.key';

/**
 * The embedded default's master key when none is configured: generated once into the data
 * directory (base64, readable by the owner only), like the built-in token issuer's key. Whoever
 * can read this file and the key journal can read every subject's data: keep it out of backups
 * of the data directory, or configure `CDS_MASTER_KEY` instead.
 */
export async function loadOrCreateMasterKeyFile(file: string): Promise<MasterKey> {
  try {
    return parseMasterKey(file, await fsp.readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const key = generateMasterKey();
  try {
    // Exclusive create: two processes starting together keep the one that was written first.
    await fsp.writeFile(file, `${key.secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx', flush: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseMasterKey(file, await fsp.readFile(file, 'utf8'));
  }
  // Keys get wrapped under it at once: losing it to a power cut would lose every subject's data.
  await syncDirectory(path.dirname(file));
  return key;
}
