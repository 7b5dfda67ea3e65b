import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActiveReadModel, digestReadModel, followGenerations, ProfileProjector, profileStream } from '@cds/application';
import { EsdbEventStore, MongoReadModelGenerations } from '@cds/adapters-real';
import { appendToProfile, sharedLogKeys, uniqueTenant, writeProfileScenario } from '@cds/contract-tests';
import { LIVE_CHECKPOINT } from '@cds/runtime';

const CLI = join(__dirname, '../../../dist/apps/cli/src/main.js');
const esdbUrl = process.env.CDS_TEST_ESDB_URL!;
const mongoUrl = process.env.CDS_TEST_MONGO_URL!;

/**
 * `cds rebuild` (the compiled tool, in its own process) on EventStoreDB and MongoDB, killed with
 * SIGKILL several times while it fills the new generation, then resumed: it ends with the live
 * read model's digest, and readers and the live projector move to the new generation only once
 * it has caught up.
 */
describe('cds rebuild: kill -9 and resume', () => {
  const database = `cds_rebuild_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-rebuild-'));
  const env = { ...process.env, ...sharedLogKeys(), CDS_EVENTSTORE_URL: esdbUrl, CDS_MONGO_URL: mongoUrl, CDS_MONGO_DATABASE: database, CDS_DATA_DIR: dataDir };
  let store: EsdbEventStore;
  let generations: MongoReadModelGenerations;
  let readers: ActiveReadModel;
  let projector: ProfileProjector;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    store = await EsdbEventStore.connect(esdbUrl);
    // This test process plays the service: readers and a live projector on the active generation.
    generations = await MongoReadModelGenerations.open(mongoUrl, database);
    readers = await ActiveReadModel.open(generations);
    projector = new ProfileProjector(store, readers, { name: LIVE_CHECKPOINT, batchSize: 200, idleFlushMs: 2, deadLetters: readers.deadLetters });
    followGenerations(readers, projector);
    await projector.start();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    readers.stopFollowing();
    await projector.stop();
    await generations.db.dropDatabase().catch(() => undefined);
    await generations.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function cds(...args: string[]): { process: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
    const proc = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (chunk) => (stdout += chunk));
    proc.stderr!.on('data', (chunk) => (stderr += chunk));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
      proc.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    return { process: proc, done };
  }

  it('resumes from its own checkpoint after each kill, switches only once caught up, and reproduces the live digest', async () => {
    const tenants: string[] = [];
    for (let i = 0; i < 16; i++) tenants.push((await writeProfileScenario(store, uniqueTenant('kill'))).tenant);
    const head = (await store.headPosition())!;
    expect(await projector.waitFor(head, 60_000)).toBe(true);
    const liveDigest = await digestReadModel(readers, { tenants });
    expect(liveDigest.profiles).toBe(3 * tenants.length);

    let building: string | null = null;
    let before: number | null = null;
    for (let kill = 0; kill < 3; kill++) {
      const run = cds('rebuild', '--batch-size', '3', '--quiet', '--json');
      child = run.process;
      // Wait until this run has moved the new generation's checkpoint, then kill it.
      await until(async () => {
        const state = await generations.state();
        if (state.building === null) return false;
        building = state.building;
        const checkpoint = await (await generations.open(state.building)).readModel.checkpoint(LIVE_CHECKPOINT);
        return checkpoint !== null && checkpoint !== before;
      });
      child.kill('SIGKILL');
      const exit = await run.done;
      expect(exit.signal).toBe('SIGKILL');
      const state = await generations.state();
      // Killed mid-way: the live generation still serves, the same build waits to be resumed.
      expect(state).toMatchObject({ active: 'default', building });
      expect((await readers.refresh()).id).toBe('default');
      const checkpoint = await (await generations.open(building!)).readModel.checkpoint(LIVE_CHECKPOINT);
      expect(checkpoint).not.toBeNull();
      if (before !== null) expect(checkpoint!).toBeGreaterThanOrEqual(before);
      expect(checkpoint!).toBeLessThan(head);
      before = checkpoint;
    }

    const final = cds('rebuild', '--batch-size', '50', '--json', '--digest');
    child = final.process;
    const exit = await final.done;
    expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const result = JSON.parse(exit.stdout);
    expect(result).toMatchObject({ generation: building, previous: 'default', resumed: true, switched: true, start_position: before });
    expect(result.position).toBeGreaterThanOrEqual(head);
    expect(exit.stderr).toContain('MongoDB database');

    // Switched only once caught up: the new generation holds the log up to where it switched.
    const state = await generations.state();
    expect(state).toMatchObject({ active: building, building: null, previous: 'default' });
    const rebuilt = await generations.open(building!);
    expect(await rebuilt.readModel.checkpoint(LIVE_CHECKPOINT)).toBeGreaterThanOrEqual(head);
    expect(await digestReadModel(rebuilt.readModel, { tenants })).toEqual(liveDigest);

    // Readers follow within their refresh; the live projector carries on in the new generation.
    expect((await readers.refresh()).id).toBe(building);
    expect(await digestReadModel(readers, { tenants })).toEqual(liveDigest);
    const tenant = tenants[0];
    const someone = (await readers.list(tenant, { filters: [], pageSize: 1 })).items[0].profile_id;
    const written = await appendToProfile(store, profileStream(tenant, someone), [{ type: 'UserStamped', data: { profile_id: someone, user_id: 'after-switch', at: new Date().toISOString() } }], tenant);
    expect(await projector.waitFor(written.position, 30_000)).toBe(true);
    expect((await rebuilt.readModel.get(tenant, someone))!.state.user_id).toBe('after-switch');

    // The tool's own digest of the live (now rebuilt) read model agrees.
    const digest = cds('digest', '--json', '--quiet', ...tenants.slice(1).flatMap((t) => ['--tenant', t]));
    const digested = await digest.done;
    expect(digested.code).toBe(0);
    expect(JSON.parse(digested.stdout)).toMatchObject({ generation: building, active: true, digest: (await digestReadModel(rebuilt.readModel, { tenants: tenants.slice(1) })).digest });

    // The status command sees the switch and the live checkpoint.
    const status = await cds('status', '--json', '--quiet', '--sample-ms', '100').done;
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ generations: { active: building }, checkpoint: expect.any(Number), dead_letters: { count: 0 } });
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
