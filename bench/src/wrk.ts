import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkRequest {
  method: 'GET' | 'PATCH';
  /** Path with `{id}` where each request puts one of `ids`, drawn at random. */
  path: string;
  ids: string[];
  headers: Record<string, string>;
  body?: string;
}

export interface WrkResult {
  requests: number;
  req_per_s: number;
  non_2xx: number;
  socket_errors: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
}

const lua = (value: string) => JSON.stringify(value);

/** A wrk script sending `request` with a random id per request. */
export function writeWrkScript(file: string, request: WrkRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`);
  const [before, after] = request.path.split('{id}');
  writeFileSync(
    file,
    [
      `wrk.method = ${lua(request.method)}`,
      request.body === undefined ? '' : `wrk.body = ${lua(request.body)}`,
      ...headers,
      `local ids = {${request.ids.map(lua).join(',')}}`,
      'math.randomseed(os.time() + math.floor(os.clock() * 1000000))',
      `request = function() return wrk.format(nil, ${lua(before)} .. ids[math.random(#ids)] .. ${lua(after ?? '')}) end`,
    ].join('\n'),
  );
  return file;
}

/** Runs wrk (Debian package `wrk`) against `url` and reads its summary. */
export async function runWrk(url: string, options: { connections: number; seconds: number; script?: string; threads?: number }): Promise<WrkResult> {
  const args = ['-t', String(options.threads ?? 2), '-c', String(options.connections), '-d', `${options.seconds}s`, '--latency', ...(options.script ? ['-s', options.script] : []), url];
  let stdout: string;
  try {
    ({ stdout } = await run('wrk', args, { maxBuffer: 1 << 20, timeout: (options.seconds + 60) * 1000 }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk is not installed (Debian: apt-get install wrk)');
    throw error;
  }
  return parseWrk(stdout);
}

const MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function duration(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  return match ? Math.round(Number(match[1]) * MS[match[2]] * 100) / 100 : NaN;
}

export function parseWrk(output: string): WrkResult {
  const line = (pattern: RegExp) => pattern.exec(output);
  const errors = line(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    requests: Number(line(/(\d+) requests in/)?.[1] ?? NaN),
    req_per_s: Math.round(Number(line(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN)),
    non_2xx: Number(line(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    socket_errors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    p50_ms: duration(line(/^\s+50%\s+(\S+)/m)?.[1]),
    p90_ms: duration(line(/^\s+90%\s+(\S+)/m)?.[1]),
    p99_ms: duration(line(/^\s+99%\s+(\S+)/m)?.[1]),
    max_ms: duration(line(/Latency\s+\S+\s+\S+\s+(\S+)/)?.[1]),
  };
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** CPU time (user and system, every thread) a process has used so far, in ms, from /proc (Linux). */
export function cpuTimeMs(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

/** A wrk run against one process, with the CPU time that process spent per request answered. */
export async function runWrkOnProcess(
  url: string,
  pid: number,
  options: { connections: number; seconds: number; script?: string },
): Promise<WrkResult & { cpu_us_per_request: number }> {
  const before = cpuTimeMs(pid);
  const result = await runWrk(url, options);
  return { ...result, cpu_us_per_request: Math.round(((cpuTimeMs(pid) - before) * 1000) / result.requests) };
}

export const scriptPath = (directory: string, name: string) => join(directory, `${name}.lua`);
