/**
 * The service's apps as processes of a test: started from the build (`npm run build`), on a free
 * port, with the environment the test gives; stopped gracefully or killed -9. For tests of what
 * survives a crash (a projector or a lease holder killed mid-work) and of several instances
 * sharing work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, stopChild, tail } from './processes';

export type AppName = 'command-api' | 'projector';

export interface AppProcess {
  readonly name: AppName;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves once `/health/live` answers; rejects when the process exits first or after `timeoutMs`. */
  live(timeoutMs?: number): Promise<void>;
  /** Resolves once `/health/ready` answers 200. */
  ready(timeoutMs?: number): Promise<void>;
  /** GET a JSON path of the app (health, metrics are text: use fetch). */
  json<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  /** SIGKILL: no shutdown hook runs, leases are not released. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait (graceful: hands its work over). */
  stop(): Promise<void>;
  /** The last lines it wrote (stdout and stderr), for failure messages. */
  output(lines?: number): string;
}

/** dist/apps/<name>/src/main.js, next to this compiled file's project. */
function appMain(name: AppName): string {
  const compiled = join(__dirname, '..', '..', '..', 'apps', name, 'src', 'main.js');
  const fromSources = join(__dirname, '..', '..', '..', 'dist', 'apps', name, 'src', 'main.js');
  const main = existsSync(compiled) ? compiled : fromSources;
  if (!existsSync(main)) throw new Error(`${main} not found: run npm run build first.`);
  return main;
}

export async function startApp(name: AppName, env: Record<string, string | undefined>): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [appMain(name)], {
    env: { ...process.env, CDS_HOST: '127.0.0.1', CDS_LOG_LEVEL: 'warn', ...env, CDS_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitFor = async (path: string, okOnly: boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited:\n${tail(output, 30)}`);
      const status = await fetch(`${url}${path}`).then((r) => r.status, () => 0);
      if (status === 200 || (!okOnly && status > 0)) return;
      if (Date.now() > deadline) throw new Error(`${name}: ${path} not answering 200 after ${timeoutMs} ms:\n${tail(output, 30)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    name,
    url,
    pid: child.pid!,
    child,
    live: (timeoutMs = 30_000) => waitFor('/health/live', true, timeoutMs),
    ready: (timeoutMs = 30_000) => waitFor('/health/ready', true, timeoutMs),
    json: async <T>(path: string) => {
      const res = await fetch(`${url}${path}`);
      return { status: res.status, body: (await res.json()) as T };
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: () => stopChild(child, 10_000),
    output: (lines = 30) => tail(output, lines),
  };
}
