import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestReadModel, prepareReplay, ProfileProjector, profileStream } from '@cds/application';
import { FileEventStore, InMemoryProfileReadModel } from '@cds/adapters-embedded';
import { uniqueTenant, writeProfileScenario } from '@cds/contract-tests';
import { runCli } from './cli';

/** The tool on a stopped embedded data directory, in this process, with its output captured. */
describe('cds on a stopped data directory', () => {
  let dataDir: string;
  let tenants: string[];
  let head: number;
  let poisonPosition: number;

  const run = async (argv: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      stdout: { write: (t: string, cb?: (e?: Error | null) => void) => (out.push(t), cb?.(), true) },
      stderr: { write: (t: string) => err.push(t) },
      env: { CDS_DATA_DIR: dataDir, CDS_PORT: '1', ...env },
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };

  /** What the service would fold at start. */
  const expectedDigest = async () => {
    const store = await FileEventStore.open({ directory: join(dataDir, 'log') });
    try {
      const readModel = new InMemoryProfileReadModel();
      const projector = new ProfileProjector(store, readModel, { name: 'check', batchSize: 100, idleFlushMs: 1 });
      await projector.start();
      await projector.waitFor(head, 10_000);
      await projector.stop();
      return digestReadModel(readModel);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cds-cli-'));
    const store = await FileEventStore.open({ directory: join(dataDir, 'log'), fsync: false });
    tenants = [uniqueTenant('cli'), uniqueTenant('cli')];
    const scenario = await writeProfileScenario(store, tenants[0]);
    await writeProfileScenario(store, tenants[1]);
    poisonPosition = (
      await store.append(
        profileStream(tenants[0], scenario.survivors.bob),
        [{ id: randomUUID(), type: 'ProfileTeleported', data: {}, metadata: { schema_version: 1, tenant: tenants[0] } }],
        'any',
      )
    ).position;
    head = (await store.headPosition())!;
    await store.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('status: a read model that has not folded this log yet is behind by all of it', async () => {
    const status = await run(['status', '--json']);
    expect(status.code).toBe(0);
    expect(status.stderr).toContain('stopped data directory');
    expect(JSON.parse(status.stdout)).toMatchObject({ checkpoint: null, head });
    expect((await run(['status'])).stdout).toMatch(/head of log\s+\d/);
  });

  it('rebuild: fills a new generation with progress, reports the digest, and switches the service to it', async () => {
    const { code, stdout } = await run(['rebuild', '--json', '--digest', '--batch-size', '7']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ switched: true, position: head, dead_letters: 1 });
    expect(result.digest.digest).toBe((await expectedDigest()).digest);
    expect(result.events_projected).toBeGreaterThan(0);
  });

  it('digest and dead-letters: the read model the service reads at its next start, and the event the fold set aside', async () => {
    const { code, stdout } = await run(['digest', '--json']);
    expect(code).toBe(0);
    const expected = await expectedDigest();
    expect(JSON.parse(stdout)).toMatchObject({ active: true, digest: expected.digest, profiles: expected.profiles, redirects: expected.redirects, checkpoint: head });
    const letters = await run(['dead-letters', '--json', '--quiet']);
    expect(letters.code).toBe(0);
    expect(JSON.parse(letters.stdout).dead_letters).toEqual([expect.objectContaining({ position: poisonPosition, type: 'ProfileTeleported' })]);
    expect((await run(['status', '--json'])).stdout).toContain(`"checkpoint": ${head}`);
  });

  it('replay: every profile as of a position, to a file or to stdout', async () => {
    const file = join(dataDir, 'replay.ndjson');
    const middle = Math.floor(head / 2);
    const { code, stdout } = await run(['replay', '--as-of', String(middle), '--out', file, '--json', '--quiet']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(summary).toMatchObject({ out: file, profiles: lines.length, as_of: String(middle) });

    const store = await FileEventStore.open({ directory: join(dataDir, 'log') });
    try {
      const replay = await prepareReplay(store, { kind: 'position', position: middle });
      const expected = [];
      for await (const p of replay.profiles()) expected.push(p);
      expect(lines).toEqual(expected);
      expect(summary.position).toBe(replay.position);
    } finally {
      await store.close();
    }

    const toStdout = await run(['replay', '--tenant', tenants[1], '--quiet']);
    expect(toStdout.code).toBe(0);
    const streamed = toStdout.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(streamed.length).toBe(3);
    expect(streamed.every((l) => l.tenant === tenants[1])).toBe(true);
    expect(toStdout.stderr).toContain('3 profiles as of head');
  });

  it('exits 2 on usage and configuration errors', async () => {
    for (const argv of [[], ['nope'], ['digest', '--fresh'], ['replay', '--as-of', 'soon'], ['rebuild', '--batch-size', '0'], ['status', '--url']]) {
      const { code, stderr } = await run(argv);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(stderr).toMatch(/^cds: /);
    }
    expect((await run(['status'], { CDS_PORT: 'eighty' })).code).toBe(2);
    expect((await run(['--help'])).stdout).toContain('Usage: cds <command>');
  });

  it('exits 1 when it cannot work: no log there, or the service holds it and does not answer', async () => {
    const missing = await run(['status'], { CDS_DATA_DIR: join(dataDir, 'nowhere') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No event log');

    // The service holds the directory: the tool goes to its admin endpoint instead.
    const held = await FileEventStore.open({ directory: join(dataDir, 'log') });
    try {
      const noToken = await run(['status']);
      expect(noToken.code).toBe(1);
      expect(noToken.stderr).toContain('No admin token');
      writeFileSync(join(dataDir, 'admin.token'), 'some-admin-token-123456\n');
      const unreachable = await run(['status']);
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toContain('the running service (it holds the data directory)');
      expect(unreachable.stderr).toContain('does not answer');
    } finally {
      await held.close();
      rmSync(join(dataDir, 'admin.token'), { force: true });
    }
  });
});
