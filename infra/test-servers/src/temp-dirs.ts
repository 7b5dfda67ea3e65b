/**
 * Per-server temp folders in os.tmpdir(), named after the owning process id so a later run can
 * remove the leftovers of a runner that was killed before it could clean up (SIGKILL, crash).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'cds-test-';

export function makeTempDir(kind: string): string {
  return mkdtempSync(join(tmpdir(), `${PREFIX}${kind}-${process.pid}-`));
}

/** Removes temp folders whose owning process is gone. */
export function removeStaleTempDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    const owner = new RegExp(`^${PREFIX}[a-z]+-(\\d+)-`).exec(name);
    if (owner && !isAlive(Number(owner[1]))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
