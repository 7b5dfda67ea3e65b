import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RebuildFigures {
  events: number;
  seconds: number;
  events_per_s: number;
  max_rss_mib: number;
}

/** Runs one rebuild in a child process (see rebuild-worker.ts) and returns its figures. */
export async function measureRebuild(
  logDirectory: string,
  target: 'embedded' | 'mongo',
  batchSize: number,
  options: { mongoUrl?: string; limitEvents?: number } = {},
): Promise<RebuildFigures> {
  const args = [join(__dirname, 'rebuild-worker.js'), logDirectory, target, String(batchSize), options.mongoUrl ?? '', options.limitEvents ? String(options.limitEvents) : ''];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20, timeout: 3_600_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}
