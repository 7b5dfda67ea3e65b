import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProfile, deleteProfile, ProfileStreams, SchemaService, systemClock } from '@cds/application';
import { parseAttributeWrites } from '@cds/domain';
import { describeFindings, scanDirectory } from '@cds/contract-tests';
import { loadConfig, openAdapters } from '@cds/runtime';
import { runCli } from './cli';

const TENANT = 'forgetful';
const ADA = { email: 'ada@example.net', name: 'Ada Lovelace' };
const GRACE = { email: 'grace@example.net', name: 'Grace Hopper' };

/**
 * The operators' tools on a stopped data directory after an erasure: a rebuild, a digest and a
 * replay of the log bring back nothing of the erased person, and leave no byte of it behind.
 */
describe('cds after an erasure', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-cli-erasure-'));
  let grace = '';

  const run = async (argv: string[]) => {
    const out: string[] = [];
    const code = await runCli(argv, {
      stdout: { write: (t: string, cb?: (e?: Error | null) => void) => (out.push(t), cb?.(), true) },
      stderr: { write: () => true },
      env: { CDS_DATA_DIR: dataDir, CDS_PORT: '1' },
    });
    return { code, stdout: out.join('') };
  };

  beforeAll(async () => {
    // Written and erased as the service does it, then the service stops.
    const adapters = await openAdapters(loadConfig({ CDS_DATA_DIR: dataDir }));
    try {
      const schema = new SchemaService(adapters.eventStore);
      const profiles = new ProfileStreams(adapters.eventStore);
      await schema.execute(
        TENANT,
        {
          type: 'DefineAttributes',
          scope: 'traits',
          inputs: [
            { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' },
            { attribute_name: 'name', value_type: 'string', merge_strategy: 'overwrite' },
          ],
          attributeIds: [randomUUID(), randomUUID()],
          at: new Date().toISOString(),
        },
        randomUUID(),
      );
      const create = async (traits: Record<string, string>) =>
        (
          await createProfile(profiles, systemClock, {
            tenant: TENANT,
            trackingConsent: true,
            writes: parseAttributeWrites(await schema.current(TENANT), { traits }),
            correlationId: randomUUID(),
          })
        ).profile.state.profileId;
      const ada = await create(ADA);
      grace = await create(GRACE);
      await deleteProfile(profiles, adapters.personalData.keys, systemClock, { tenant: TENANT, profileId: ada, correlationId: randomUUID() });
    } finally {
      await adapters.eventStore.close();
      await adapters.readModel.close();
      await adapters.personalData.store.close();
      await adapters.checkpoints.close?.();
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds, digests and replays without the erased person, and leaves no byte of them', async () => {
    expect((await run(['rebuild', '--json', '--quiet'])).code).toBe(0);
    const digest = await run(['digest', '--json', '--quiet']);
    expect(digest.code).toBe(0);
    expect(JSON.parse(digest.stdout)).toMatchObject({ profiles: 1 });

    const replay = await run(['replay', '--tenant', TENANT, '--quiet']);
    expect(replay.code).toBe(0);
    const profiles = replay.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(profiles.map((p) => p.profile.profile_id)).toEqual([grace]);
    expect(replay.stdout).not.toContain(ADA.name);

    const findings = await scanDirectory(dataDir, [ADA.email, ADA.name]);
    if (findings.length > 0) throw new Error(`the erased person is still in the data directory:\n${describeFindings(findings)}`);
    // The scan sees what is there: the rebuilt read model holds the other person as they are.
    expect((await scanDirectory(join(dataDir, 'read-model'), [GRACE.name])).length).toBeGreaterThan(0);
  });
});
