import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where `--cpu-prof` writes the profiles of the processes a bench run starts. */
export const PROFILE_DIRECTORY = join(__dirname, '../../../bench/profiles');

/** Node flags for a child process: a CPU profile of it when the run was started with --cpu-prof. */
export function profilingArgs(name: string): string[] {
  if (!process.argv.includes('--cpu-prof')) return [];
  mkdirSync(PROFILE_DIRECTORY, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIRECTORY}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}
