import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A file made once and shared by every process that starts on the directory (a generated key or
 * token): the content is written and synced under a name of its own, then linked into place, which
 * either takes the name or fails because another process took it first. So a reader never sees a
 * half-written file, and two processes starting together agree on one content. Returns the content
 * in place: `content` when this call made the file, else what was there.
 */
export function createFileOnce(path: string, content: string, mode = 0o600): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(draft, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(draft, path);
    syncDirectory(dirname(path));
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(path, 'utf8');
  } finally {
    unlinkSync(draft);
  }
}

/** Makes the new name durable; a no-op where directories cannot be synced. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
