import { promises as fsp } from 'node:fs';

/** Makes a directory's entries (a new or renamed file) durable; a no-op where directories cannot be synced. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await fsp.open(directory, 'r').catch(() => undefined);
  try {
    await handle?.sync();
  } catch {
    // Some platforms cannot fsync a directory.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
