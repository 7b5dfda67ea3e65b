import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileReadModel } from '@cds/application';
import { loadConfig, openAdapters } from '@cds/runtime';
import { ApiClient, expectError, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * Reads are served from the read model and may lag behind the log, but a 404 is authoritative:
 * an id the read model has not seen yet is looked up in the log before the answer is "not found".
 */
describe('reading right after a write', () => {
  let running: RunningApp;
  let api: ApiClient;
  let dataDir: string;
  let release: () => void;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cds-e2e-'));
    const adapters = await openAdapters(loadConfig({ CDS_DATA_DIR: dataDir }));
    // A read model that holds every batch back until released: the projector stands still.
    const held = new Promise<void>((resolve) => (release = resolve));
    const lagging = new Proxy(adapters.readModel, {
      get: (target, property) => {
        if (property === 'applyBatch') return (...args: unknown[]) => held.then(() => (target.applyBatch as (...a: unknown[]) => Promise<void>)(...args));
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as ProfileReadModel;
    running = await startTestApp({}, { dataDir, adapters: { ...adapters, readModel: lagging } });
    api = new ApiClient(running.baseUrl, 'lagging');
    expectStatus(await api.defineAttributes('traits', [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }]), 201);
  });
  afterAll(async () => {
    release();
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds a profile the read model has not seen yet, straight after its create', async () => {
    const created = await api.createProfile({ traits: { visits: 2 } });
    expectStatus(created, 201);
    const read = await api.getProfile(created.body.profile_id);
    expectStatus(read, 200);
    expect(read.body).toMatchObject({ profile_id: created.body.profile_id, traits: { visits: 2 } });
  });

  it('leads a merged-away id to its survivor before the read model knows of the merge', async () => {
    const phone = await api.createProfile({ traits: { visits: 1 } });
    const laptop = await api.createProfile({ traits: { visits: 1 } });
    expectStatus(await api.signIn('lagging-user', phone.body.anonymous_profile_tracker), 200);
    expectStatus(await api.signIn('lagging-user', laptop.body.anonymous_profile_tracker), 200);
    const read = await api.getProfile(laptop.body.profile_id);
    expectStatus(read, 200);
    expect(read.body).toMatchObject({ profile_id: phone.body.profile_id, traits: { visits: 2 } });
  });

  it('still answers 404 for an id that is in neither', async () => {
    expectError(await api.getProfile(globalThis.crypto.randomUUID()), 404, 'profile_not_found');
  });
});
