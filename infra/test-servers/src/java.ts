/**
 * Compiles one of the small Java launchers in infra/test-servers/java against a jar folder,
 * once per version of the source (the output folder is named after a hash of the source and
 * of the jar list).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, javaSourceDir } from './paths';
import { run } from './processes';

/**
 * JVM flags for the test servers: starting fast and sharing two cores with the tests matters
 * more than peak throughput. The serial collector and the C1-only JIT cut Kafka's start on a
 * busy 2-core machine from 4-7 s to about 3 s. Do not benchmark against these servers.
 */
export const TEST_JVM_OPTIONS: readonly string[] = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** Returns a classes folder holding the compiled launcher `<className>.java`. */
export async function ensureLauncher(className: string, libDir: string): Promise<string> {
  const source = join(javaSourceDir(), `${className}.java`);
  const hash = createHash('sha256')
    .update(readFileSync(source))
    .update(readdirSync(libDir).sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  const classes = join(cacheDir(), 'launchers', `${className}-${hash}`);
  if (existsSync(classes)) return classes;

  const staging = `${classes}.tmp-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  await run('javac', ['-nowarn', '-cp', join(libDir, '*'), '-d', staging, source]);
  try {
    renameSync(staging, classes);
  } catch (error) {
    // Another run compiled the same thing at the same moment; keep theirs.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(classes)) throw error;
  }
  return classes;
}

/** A Java classpath made of a classes folder and every jar of a lib folder. */
export function classpath(classes: string, libDir: string): string {
  return [classes, join(libDir, '*')].join(process.platform === 'win32' ? ';' : ':');
}
