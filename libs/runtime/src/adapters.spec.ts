import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EventStore, profileStream, ProfileProjector, toNewEvent } from '@cds/application';
import { openAdapters } from './adapters';
import { loadConfig, LIVE_CHECKPOINT } from './cds-config';

/** Three profiles, each created then written to. */
async function writeProfiles(store: EventStore, tenant: string): Promise<string[]> {
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  for (const profile_id of ids) {
    const at = '2026-01-01T00:00:00.000Z';
    const events = [
      { type: 'ProfileCreated', data: { profile_id, anonymous_profile_tracker: randomUUID(), tracking_consent: true, at } },
      { type: 'UserStamped', data: { profile_id, user_id: `user-${profile_id}`, at } },
    ];
    await store.append(profileStream(tenant, profile_id), events.map((e) => toNewEvent(e, randomUUID(), { tenant })), 'no_stream');
  }
  return ids;
}

describe('embedded adapters across a restart', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cds-adapters-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keep the read model in the data directory, so the projector resumes from its checkpoint', async () => {
    const config = loadConfig({ CDS_DATA_DIR: dataDir });
    const first = await openAdapters(config);
    const tenant = 'acme';
    const [alice] = await writeProfiles(first.eventStore, tenant);
    const head = (await first.eventStore.headPosition())!;
    const projector = new ProfileProjector(first.eventStore, first.readModel, { name: LIVE_CHECKPOINT, batchSize: 100, idleFlushMs: 1 });
    await projector.start();
    expect(await projector.waitFor(head, 10_000)).toBe(true);
    await projector.stop();
    const stored = await first.readModel.get(tenant, alice);
    expect(stored?.state.user_id).toBe(`user-${alice}`);
    await first.readModel.close();
    await first.eventStore.close();

    const second = await openAdapters(config);
    expect(await second.readModel.checkpoint(LIVE_CHECKPOINT)).toBe(head);
    expect(await second.readModel.get(tenant, alice)).toStrictEqual(stored);
    const resumed = new ProfileProjector(second.eventStore, second.readModel, { name: LIVE_CHECKPOINT, batchSize: 100, idleFlushMs: 1 });
    await resumed.start();
    expect(resumed.getStatus().position).toBe(head);
    await resumed.stop();
    expect(resumed.getStatus().eventsProjected).toBe(0);
    await second.readModel.close();
    await second.eventStore.close();
  });
});
