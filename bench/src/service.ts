import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';

const MAIN = join(__dirname, '../../apps/command-api/src/main.js');

export interface BenchService {
  url: string;
  dataDir: string;
  agent: Agent;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, string | string[] | undefined> }>;
  stop(): Promise<void>;
}

/** The service as `npm start` runs it (its own process, durable log with fsync), on a free port. */
export async function startService(env: Record<string, string> = {}): Promise<BenchService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-bench-service-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
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
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await call('GET', '/health/live')).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the service did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    agent,
    call,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      agent.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function bearer(service: BenchService, org: string): Promise<Record<string, string>> {
  const res = await service.call('POST', `/t/${org}/oauth2/token`, 'grant_type=client_credentials', {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${Buffer.from('cds-dev-client:cds-dev-secret').toString('base64')}`,
  });
  return { authorization: `Bearer ${res.body.access_token}` };
}
