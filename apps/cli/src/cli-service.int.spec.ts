import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIST = join(__dirname, '../../../dist/apps');
const ORG = 'acme';

/**
 * The compiled tool against the compiled service on the embedded default: the service holds the
 * data directory, so the tool goes through its admin endpoint with the token the service wrote.
 */
describe('cds against a running embedded service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-service-'));
  let port: number;
  let service: ChildProcess;
  let token: string;
  const base = () => `http://127.0.0.1:${port}`;
  const env = () => ({ ...process.env, CDS_DATA_DIR: dataDir, CDS_PORT: String(port), CDS_DEV_CLIENT_ID: 'ops-client', CDS_DEV_CLIENT_SECRET: 'ops-secret' });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base()}/t/${ORG}/cds/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, position: Number(res.headers.get('cds-log-position') ?? NaN), body: (await res.json()) as any };
  };

  const cds = (args: string[], extraEnv: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const proc = spawn(process.execPath, [join(DIST, 'cli/src/main.js'), ...args], { env: { ...env(), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      proc.stdout!.on('data', (c) => (stdout += c));
      proc.stderr!.on('data', (c) => (stderr += c));
      proc.once('exit', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    port = await freePort();
    service = spawn(process.execPath, [join(DIST, 'command-api/src/main.js')], { env: { ...env(), CDS_HOST: '127.0.0.1', CDS_LOG_LEVEL: 'error' }, stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`${base()}/health/live`).then((r) => r.ok, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error('the service did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const basic = Buffer.from('ops-client:ops-secret').toString('base64');
    const issued = await fetch(`${base()}/t/${ORG}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    token = ((await issued.json()) as { access_token: string }).access_token;
    await api('POST', '/profile-schema/traits', { attribute_name: 'traits.visits', value_type: 'integer', merge_strategy: 'sum' });
  });
  afterAll(async () => {
    service?.kill('SIGTERM');
    await new Promise((r) => service?.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('status, digest, rebuild, replay and dead letters through the admin endpoint', async () => {
    const ids: string[] = [];
    let last = 0;
    for (let i = 0; i < 6; i++) {
      const created = await api('POST', '/profiles', {});
      ids.push(created.body.profile_id);
      last = (await api('PATCH', `/profiles/${created.body.profile_id}`, { traits: { visits: i + 1 } })).position;
      if (i % 2 === 1) last = (await api('POST', '/profiles/sync', { event: 'AUTHENTICATION_SUCCESS', user_id: `user-${i >> 1}`, anonymous_profile_tracker: created.body.anonymous_profile_tracker })).position;
    }
    await api('GET', `/profiles/${ids[0]}?wait_for_position=${last}`);
    expect(readFileSync(join(dataDir, 'admin.token'), 'utf8').trim().length).toBeGreaterThan(20);

    const status = await cds(['status', '--json']);
    expect(status.code).toBe(0);
    expect(status.stderr).toContain('the running service (it holds the data directory)');
    expect(JSON.parse(status.stdout)).toMatchObject({ generations: { active: 'default' }, checkpoint: expect.any(Number), head: expect.any(Number), lag: 0 });

    const digest = JSON.parse((await cds(['digest', '--json', '--quiet'])).stdout);
    expect(digest).toMatchObject({ generation: 'default', active: true, profiles: 6 });

    const rebuild = await cds(['rebuild', '--json', '--digest']);
    expect(rebuild.code).toBe(0);
    const result = JSON.parse(rebuild.stdout);
    expect(result).toMatchObject({ switched: true, previous: 'default', digest: { digest: digest.digest } });
    expect(JSON.parse((await cds(['digest', '--json', '--quiet'])).stdout)).toMatchObject({ generation: result.generation, digest: digest.digest });

    const out = join(dataDir, 'replay.ndjson');
    const replay = await cds(['replay', '--as-of', String(last), '--out', out, '--json', '--quiet']);
    expect(replay.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(JSON.parse(replay.stdout)).toMatchObject({ profiles: lines.length, position: last });
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line.profile).toEqual((await api('GET', `/profiles/${line.profile.profile_id}?as_of=${last}`)).body);
    }

    const letters = await cds(['dead-letters', '--json', '--quiet']);
    expect(JSON.parse(letters.stdout)).toMatchObject({ count: 0, dead_letters: [] });

    const refused = await cds(['status'], { CDS_ADMIN_TOKEN: 'wrong-token-but-long-enough' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HTTP 403');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
