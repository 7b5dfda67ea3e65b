/** Child-process helpers shared by the server launchers. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';

/** Runs a command to completion; rejects with its output when it fails or cannot start. */
export function run(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(`"${command}" was not found on PATH; it is needed to run the test servers.`)
          : error,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail(output, 40)}`)),
    );
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Retries `probe` until it resolves, the process dies, or `timeoutMs` passes.
 * `describeFailure` supplies context (e.g. the tail of a log) for the error message.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<unknown>,
  options: { timeoutMs: number; child?: ChildProcess; signal?: AbortSignal; describeFailure?: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    if (options.child && options.child.exitCode !== null) {
      throw new Error(`${what}: process exited with ${options.child.exitCode}.\n${options.describeFailure?.() ?? ''}`);
    }
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      const context = options.describeFailure?.() ?? '';
      throw new Error(`${what}: not ready after ${options.timeoutMs / 1000}s (${reason}).\n${context}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Stops a child: closes its stdin (our launchers exit on that), sends SIGTERM, and SIGKILL
 * if it is still alive after `graceMs`. Resolves once it has exited.
 */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.stdin?.end();
    child.kill('SIGTERM');
  });
}

/** Last `lines` lines of a text. */
export function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Last lines of a file, or a note that it is missing. */
export function tailOfFile(path: string, lines = 30): string {
  try {
    return `--- last lines of ${path} ---\n${tail(readFileSync(path, 'utf8'), lines)}`;
  } catch {
    return `(no ${path})`;
  }
}
