import { generateMasterKey, MasterKey, parseMasterKey } from '@cds/application';
import { createFileOnce } from '../files/create-file-once';

export const MASTER_KEY_FILE = 'master.key';

/**
 * The embedded default's master key when none is configured: generated once into the data
 * directory (base64, readable by the owner only), like the built-in token issuer's key. Whoever
 * can read this file and the key journal can read every subject's data: keep it out of backups
 * of the data directory, or configure `CDS_MASTER_KEY` instead.
 */
export async function loadOrCreateMasterKeyFile(file: string): Promise<MasterKey> {
  // Two processes starting together keep the key that was linked into place first; keys get
  // wrapped under it at once, so it is synced before it is used.
  return parseMasterKey(file, createFileOnce(file, `${generateMasterKey().secret.toString('base64')}\n`));
}
