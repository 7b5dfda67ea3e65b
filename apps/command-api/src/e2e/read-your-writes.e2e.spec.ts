import { ProfileProjector } from '@cds/application';
import { ApiClient, expectError, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * `wait_for_position` waits (at most 10 s) until the read model holds a write. A position the
 * log has not reached is refused at once; a wait that runs out answers 503 with Retry-After,
 * never stale data passed off as fresh.
 */
describe('reading your own writes', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'ryw');
  });
  afterAll(() => running.stop());

  it('answers a read waiting for a write with that write', async () => {
    const created = await api.createProfile({});
    const res = await api.getProfile(created.body.profile_id, created.position);
    expectStatus(res, 200);
    expect(res.body.profile_id).toBe(created.body.profile_id);
  });

  it('refuses at once, with 409 position_not_reached, a position beyond the head of the log', async () => {
    const head = (await api.logHead()) ?? 0;
    const started = Date.now();
    for (const path of [`/profiles?wait_for_position=${head + 1000}`, `/profiles/${globalThis.crypto.randomUUID()}?wait_for_position=${head + 1000}`]) {
      expectError(await api.request('GET', path), 409, 'position_not_reached');
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says so with 503 read_model_behind and Retry-After when the read model does not catch up in time', async () => {
    const created = await api.createProfile({});
    await api.catchUp(created.position);
    const projector = running.app.get(ProfileProjector);
    await projector.stop();
    try {
      const written = await api.createProfile({});
      expectStatus(written, 201);
      const res = await api.getProfile(written.body.profile_id, written.position);
      expectError(res, 503, 'read_model_behind');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await projector.start();
    }
    const later = await api.listProfiles({ wait_for_position: (await api.logHead())! });
    expectStatus(later, 200);
  }, 30_000);
});
