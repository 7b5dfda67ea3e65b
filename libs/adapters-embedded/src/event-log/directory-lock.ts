/**
 * Exclusive single writer per log directory: a lock file holding the owner's pid.
 *
 * The lock is created complete (written to a temporary file, then hard-linked into place, which
 * fails if the lock exists), so a reader never sees a half-written pid. A lock whose pid is not
 * running is stale, left by a crash, and is taken over. A lock with this process's own pid is
 * live only if this process holds it through another store; otherwise it is the leftover of an
 * earlier process that happened to get the same pid (common for pid 1 in containers).
 *
 * The pid check assumes the processes share one host: the directory must not be shared over a
 * network file system by several hosts.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { EventLogInUseError } from './log-errors';

/** Lock files held by stores of this process. */
const heldHere = new Set<string>();

const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP', 'EXDEV']);

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException)?.code;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

export class DirectoryLock {
  private released = false;

  private constructor(readonly file: string) {}

  static async acquire(file: string): Promise<DirectoryLock> {
    const directory = path.dirname(file);
    if (heldHere.has(file)) throw new EventLogInUseError(directory, process.pid);
    // A few rounds: each one either creates the lock, fails on a live owner, or removes a stale lock.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await createExclusive(file)) {
        heldHere.add(file);
        return new DirectoryLock(file);
      }
      const owner = await readOwner(file);
      if (owner === 'missing') continue;
      if (owner === 'unreadable' && (await isFresh(file))) {
        // Only possible on the fallback path, where the owner creates the file before writing it.
        throw new Error(`Lock file ${file} is being created by another process`);
      }
      if (owner !== 'unreadable' && owner !== process.pid && isRunning(owner)) {
        throw new EventLogInUseError(directory, owner);
      }
      await fsp.unlink(file).catch((error: unknown) => {
        if (errorCode(error) !== 'ENOENT') throw error;
      });
    }
    throw new Error(`Could not take the lock ${file}: it keeps changing hands`);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.file);
    // Remove it only if it is still ours.
    if ((await readOwner(this.file)) === process.pid) await fsp.unlink(this.file).catch(() => undefined);
  }
}

/** Creates the lock file with our pid in it; false when one already exists. */
async function createExclusive(file: string): Promise<boolean> {
  const content = `${process.pid}\n`;
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await fsp.writeFile(temporary, content, { flag: 'wx' });
  try {
    await fsp.link(temporary, file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    if (!LINK_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
  } finally {
    await fsp.unlink(temporary).catch(() => undefined);
  }
  // File systems without hard links: exclusive create, then write.
  try {
    await fsp.writeFile(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

const FRESH_MS = 10_000;

async function isFresh(file: string): Promise<boolean> {
  const stat = await fsp.stat(file).catch(() => undefined);
  return stat !== undefined && Date.now() - stat.mtimeMs < FRESH_MS;
}

async function readOwner(file: string): Promise<number | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'missing';
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 'unreadable';
}
