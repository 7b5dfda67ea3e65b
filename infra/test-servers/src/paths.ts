/**
 * Locations the runner needs, found relative to this file so it works both from sources
 * (infra/test-servers/src, under jest) and compiled (dist/infra/test-servers/src).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MARKER = join('infra', 'test-servers', 'java');

/** The repository root: the nearest ancestor holding infra/test-servers/java. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, MARKER))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find ${MARKER} above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** Java sources of the small launchers (MongoWireServer, ExitOnStdinClose). */
export function javaSourceDir(): string {
  return join(repoRoot(), MARKER);
}

/** Downloaded jars and compiled launchers; git-ignored, safe to delete. */
export function cacheDir(): string {
  return process.env.CDS_TEST_SERVERS_CACHE ?? join(repoRoot(), 'infra', 'test-servers', '.cache');
}
