import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { profilingArgs } from './profiling';

const MAIN = join(__dirname, '../../apps/command-api/src/main.js');

export interface BenchService {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  agent: Agent;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, string | string[] | undefined> }>;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  env?: Record<string, string>;
  /** An existing data directory to start on (kept at stop); a fresh temporary one otherwise. */
  dataDir?: string;
  /** Names the CPU profile when the run was started with --cpu-prof. */
  name?: string;
  /** Also wait until the read model holds the whole log, not only until the process answers. */
  untilCaughtUp?: boolean;
}

/** The service as `npm start` runs it (its own process, durable log with fsync), on a free port. */
export async function startService(options: ServiceOptions = {}): Promise<BenchService> {
  const env = options.env ?? {};
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cds-bench-service-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(process.execPath, [...profilingArgs(options.name ?? 'service'), MAIN], {
    env: { ...process.env, CDS_DATA_DIR: dataDir, CDS_PORT: String(port), CDS_HOST: '127.0.0.1', CDS_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = `http://127.0.0.1:${port}`;
  const call: BenchService['call'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(
        `${url}${path}`,
        { method, agent, headers: { ...(payload ? { 'content-type': headers['content-type'] ?? 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text, headers: res.headers });
          });
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  const exited = new Promise((r) => child.once('exit', r));
  const service: BenchService = {
    url,
    port,
    pid: child.pid!,
    dataDir,
    agent,
    call,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      agent.destroy();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilReady(service, options.untilCaughtUp ?? false, 600_000);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

/** Polls readiness: the service answers 200, and with `caughtUp` its projector is at the log head. */
export async function waitUntilReady(service: BenchService, caughtUp: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const ready = await service.call('GET', '/health/ready');
      if (ready.status === 200 && (!caughtUp || (ready.body.projector?.position ?? 0) >= (ready.body.log_head ?? 0))) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the service did not become ready');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function bearer(service: BenchService, org: string): Promise<Record<string, string>> {
  const res = await service.call('POST', `/t/${org}/oauth2/token`, 'grant_type=client_credentials', {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${Buffer.from('cds-dev-client:cds-dev-secret').toString('base64')}`,
  });
  return { authorization: `Bearer ${res.body.access_token}` };
}
