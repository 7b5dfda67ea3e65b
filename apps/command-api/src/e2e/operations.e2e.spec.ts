import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, EventStore, profileStream } from '@cds/application';
import { ApiClient, expectError, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * Operators and analysts over HTTP on the embedded default: a profile's history with what merged
 * into it, a profile as of a point of the log, and the admin endpoints (rebuild, digest, status,
 * replay, dead letters) behind their own token.
 */
describe('operations over HTTP (embedded default)', () => {
  let running: RunningApp;
  let api: ApiClient;
  let adminToken: string;

  const admin = async (method: string, path: string, body?: unknown, token: string | null = adminToken) => {
    const res = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // NDJSON and other text stays text.
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'acme');
    adminToken = readFileSync(join(running.dataDir, 'admin.token'), 'utf8').trim();
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'traits.interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
        { attribute_name: 'traits.visits', value_type: 'integer', merge_strategy: 'sum' },
      ]),
      201,
    );
  });
  afterAll(() => running.stop());

  /** Two devices of one user, with activity, merged at sign-in. */
  async function twoDevicesMerged(user: string) {
    const a = await api.createProfile({});
    const b = await api.createProfile({});
    expectStatus(a, 201);
    expectStatus(b, 201);
    expectStatus(await api.patchProfile(a.body.profile_id, { traits: { interests: ['running'], visits: 1 } }), 200);
    expectStatus(await api.patchProfile(b.body.profile_id, { traits: { interests: ['cycling'], visits: 2 } }), 200);
    expectStatus(await api.signIn(user, a.body.anonymous_profile_tracker), 200);
    const second = await api.signIn(user, b.body.anonymous_profile_tracker);
    expectStatus(second, 200);
    const merged = await api.getProfile(a.body.profile_id, second.position);
    expectStatus(merged, 200);
    const survivor: string = merged.body.profile_id;
    const other = survivor === a.body.profile_id ? b.body.profile_id : a.body.profile_id;
    return { survivor, other, merged: merged.body };
  }

  describe('GET /profiles/{id}/history', () => {
    it('holds the events of the profile and of the profile merged into it, in log order', async () => {
      const { survivor, other, merged } = await twoDevicesMerged(`user-${randomUUID()}`);
      expect(merged.merged_from.map((m: { profile_id: string }) => m.profile_id)).toEqual([other]);
      const res = await api.request('GET', `/profiles/${survivor}/history`);
      expectStatus(res, 200);
      expect(res.body.profile_id).toBe(survivor);
      expect([...res.body.profile_ids].sort()).toEqual([survivor, other].sort());
      const events = res.body.events as Array<{ version: number; position: number; profile_id: string; type: string; revision: number; recorded_at: string; writes?: any }>;
      const positions = events.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
      expect(new Set(positions).size).toBe(positions.length);
      const ofOther = events.filter((e) => e.profile_id === other).map((e) => e.type);
      expect(ofOther).toEqual(expect.arrayContaining(['profile_created', 'attributes_written', 'merged_away']));
      const ofSurvivor = events.filter((e) => e.profile_id === survivor).map((e) => e.type);
      expect(ofSurvivor).toEqual(expect.arrayContaining(['profile_created', 'attributes_written', 'user_id_stamped', 'profile_merged_in']));
      // The merged device's own write is there, with its value.
      expect(events.some((e) => e.profile_id === other && e.type === 'attributes_written' && JSON.stringify(e.writes).includes('cycling'))).toBe(true);
      expect(events.every((e) => e.version === 1 && typeof e.recorded_at === 'string' && e.revision >= 0)).toBe(true);
      expect(res.body.next_cursor).toBeNull();

      // The merged-away id answers with its survivor's history.
      expect((await api.request('GET', `/profiles/${other}/history`)).body).toEqual(res.body);
    });

    it('pages with page_size and cursor, without gaps or repeats', async () => {
      const { survivor } = await twoDevicesMerged(`user-${randomUUID()}`);
      const whole = (await api.request('GET', `/profiles/${survivor}/history`)).body.events;
      const seen: unknown[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: any = await api.request('GET', `/profiles/${survivor}/history?page_size=3${cursor ? `&cursor=${cursor}` : ''}`);
        expectStatus(res, 200);
        expect(res.body.events.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.events);
        cursor = res.body.next_cursor;
        pages += 1;
      } while (cursor !== null && pages < 50);
      expect(pages).toBe(Math.ceil(whole.length / 3));
      expect(seen).toEqual(whole);
    });

    it('answers 404 for unknown ids, 400 for a bad page size or cursor, and needs the view scope', async () => {
      expectError(await api.request('GET', `/profiles/${randomUUID()}/history`), 404, 'profile_not_found');
      const { survivor } = await twoDevicesMerged(`user-${randomUUID()}`);
      expectError(await api.request('GET', `/profiles/${survivor}/history?page_size=0`), 400, 'invalid_page_size');
      expectError(await api.request('GET', `/profiles/${survivor}/history?page_size=abc`), 400, 'invalid_page_size');
      expectError(await api.request('GET', `/profiles/${survivor}/history?cursor=-1`), 400, 'invalid_cursor');
      expectError(await api.request('GET', `/profiles/${survivor}/history`, { token: null }), 401);
      const updateOnly = await api.token('internal_cds_profile_update');
      expectError(await api.request('GET', `/profiles/${survivor}/history`, { token: updateOnly }), 403, 'insufficient_scope');
      expectError(await api.forOrganization('other-org').request('GET', `/profiles/${survivor}/history`), 404, 'profile_not_found');
    });
  });

  describe('GET /profiles/{id}?as_of=', () => {
    it('at a write\'s position equals the profile read then; at the head equals the live profile', async () => {
      const created = await api.createProfile({});
      const id = created.body.profile_id;
      const steps: Array<{ position: number; profile: unknown }> = [];
      steps.push({ position: created.position!, profile: (await api.getProfile(id, created.position)).body });
      for (const [i, interest] of ['a', 'b', 'c'].entries()) {
        const patched = await api.patchProfile(id, { traits: { interests: [interest], visits: i + 1 } });
        expectStatus(patched, 200);
        steps.push({ position: patched.position!, profile: (await api.getProfile(id, patched.position)).body });
      }
      for (const step of steps) {
        const then = await api.request('GET', `/profiles/${id}?as_of=${step.position}`);
        expectStatus(then, 200);
        expect(then.body).toEqual(step.profile);
      }
      // Not every pair of states is equal: the steps tell the states apart.
      expect(steps[0].profile).not.toEqual(steps[3].profile);

      const head = (await api.logHead())!;
      await api.catchUp(head);
      const live = await api.getProfile(id);
      expect((await api.request('GET', `/profiles/${id}?as_of=${head}`)).body).toEqual(live.body);
      // A time as of now is the head as well.
      const now = new Date(Date.now() + 1000).toISOString();
      expect((await api.request('GET', `/profiles/${id}?as_of=${encodeURIComponent(now)}`)).body).toEqual(live.body);
      // Before it existed: 404.
      expectError(await api.request('GET', `/profiles/${id}?as_of=${created.position! - 1}`), 404, 'profile_not_found');
    });

    it('for a merged-away id answers itself before the merge and its survivor as of then after it', async () => {
      const a = await api.createProfile({});
      await api.patchProfile(a.body.profile_id, { traits: { visits: 5 } });
      const b = await api.createProfile({});
      const patchedB = await api.patchProfile(b.body.profile_id, { traits: { visits: 7 } });
      const beforeMerge = (await api.getProfile(b.body.profile_id, patchedB.position)).body;
      const user = `user-${randomUUID()}`;
      await api.signIn(user, a.body.anonymous_profile_tracker);
      const signIn = await api.signIn(user, b.body.anonymous_profile_tracker);
      const afterMerge = (await api.getProfile(b.body.profile_id, signIn.position)).body;
      expect(afterMerge.traits.visits).toBe(12);

      expect((await api.request('GET', `/profiles/${b.body.profile_id}?as_of=${patchedB.position}`)).body).toEqual(beforeMerge);
      expect((await api.request('GET', `/profiles/${b.body.profile_id}?as_of=${signIn.position}`)).body).toEqual(afterMerge);
    });

    it('rejects an as_of that is neither a position nor a zoned ISO time', async () => {
      const created = await api.createProfile({});
      for (const bad of ['yesterday', '-3', '2026-13-01T00:00:00Z', '2026-02-30', '2026-01-01T10:00:00', '1e5', '']) {
        expectError(await api.request('GET', `/profiles/${created.body.profile_id}?as_of=${encodeURIComponent(bad)}`), 400, 'invalid_as_of');
      }
      expectError(await api.request('GET', `/profiles/${created.body.profile_id}?as_of=1&as_of=2`), 400, 'invalid_as_of');
      expectStatus(await api.request('GET', `/profiles/${created.body.profile_id}?as_of=2026-01-01`), 404);
    });
  });

  describe('admin endpoints', () => {
    it('take the admin token only: 401 without a bearer token, 403 with any other', async () => {
      expectError(await admin('GET', '/admin/status', undefined, null), 401, 'missing_token');
      expectError(await admin('GET', '/admin/status', undefined, 'not-the-token'), 403, 'not_an_admin_token');
      expectError(await admin('GET', '/admin/digest', undefined, await api.token()), 403, 'not_an_admin_token');
      expectError(await admin('POST', '/admin/rebuild', {}, `${adminToken}x`), 403);
      expectStatus(await admin('GET', '/admin/status'), 200);
    });

    it('use CDS_ADMIN_TOKEN when it is set', async () => {
      const other = await startTestApp({ CDS_ADMIN_TOKEN: 'an-operator-token-0123456789' });
      try {
        const res = await fetch(`${other.baseUrl}/admin/digest`, { headers: { authorization: 'Bearer an-operator-token-0123456789' } });
        expect(res.status).toBe(200);
        const generated = await fetch(`${other.baseUrl}/admin/digest`, { headers: { authorization: `Bearer ${adminToken}` } });
        expect(generated.status).toBe(403);
      } finally {
        await other.stop();
      }
    });

    it('a rebuild reproduces the live digest, switches readers, and the live projector carries on in the new generation', async () => {
      await twoDevicesMerged(`user-${randomUUID()}`);
      await api.catchUp();
      const before = await admin('GET', '/admin/digest');
      expectStatus(before, 200);
      expect(before.body.profiles).toBeGreaterThan(0);
      expect(before.body.redirects).toBeGreaterThan(0);
      const generationBefore = before.body.generation;

      const started = await admin('POST', '/admin/rebuild', { digest: true, batch_size: 7 });
      expectStatus(started, 202);
      expect(started.body.state).toBe('running');
      let job = started.body;
      for (let i = 0; i < 400 && job.state === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        job = (await admin('GET', '/admin/rebuild')).body;
      }
      expect(job.state).toBe('succeeded');
      expect(job.result).toMatchObject({ switched: true, previous: generationBefore, resumed: false });
      expect(job.result.digest.digest).toBe(before.body.digest);

      const after = await admin('GET', '/admin/digest');
      expect(after.body).toMatchObject({ generation: job.result.generation, active: true, digest: before.body.digest });
      const status = await admin('GET', '/admin/status');
      expect(status.body.generations).toMatchObject({ active: job.result.generation, previous: generationBefore, building: null });

      // Writes after the switch land in the new generation and are readable.
      const { survivor } = await twoDevicesMerged(`user-${randomUUID()}`);
      expectStatus(await api.getProfile(survivor), 200);
      const digestNow = await admin('GET', '/admin/digest');
      expect(digestNow.body.digest).not.toBe(before.body.digest);
      expect(digestNow.body.generation).toBe(job.result.generation);
    });

    it('status shows checkpoint, head, lag and rate; replay streams every profile as of a position', async () => {
      const { survivor } = await twoDevicesMerged(`user-${randomUUID()}`);
      const head = (await api.logHead())!;
      await api.catchUp(head);
      const status = await admin('GET', '/admin/status');
      expect(status.body).toMatchObject({ head: expect.any(Number), lag: expect.any(Number), dead_letters: { count: expect.any(Number) } });
      expect(status.body.checkpoint).toBeGreaterThanOrEqual(head);
      expect(typeof status.body.events_per_second).toBe('number');

      const replay = await admin('GET', `/admin/replay?as_of=${head}&tenant=acme`);
      expectStatus(replay, 200);
      expect(replay.headers.get('content-type')).toContain('application/x-ndjson');
      const lines = replay.text.trim().split('\n').map((l: string) => JSON.parse(l));
      const end = lines.pop();
      expect(end.replay_end).toMatchObject({ position: expect.any(Number), profiles: lines.length });
      expect(lines.every((l: any) => l.tenant === 'acme')).toBe(true);
      const ids = lines.map((l: any) => l.profile.profile_id);
      expect(ids).toEqual([...ids].sort());
      const mine = lines.find((l: any) => l.profile.profile_id === survivor);
      expect(mine.profile).toEqual((await api.request('GET', `/profiles/${survivor}?as_of=${head}`)).body);
      expectError(await admin('GET', '/admin/replay?as_of=soon'), 400, 'invalid_as_of');
    });

    it('a poison event lands in the dead-letter store and the projector carries on', async () => {
      const store = running.app.get<symbol, EventStore>(EVENT_STORE);
      const victim = await api.createProfile({});
      const poisoned = await store.append(
        profileStream('acme', victim.body.profile_id),
        [{ id: randomUUID(), type: 'ProfileTeleported', data: { to: 'mars' }, metadata: { schema_version: 1, tenant: 'acme' } }],
        'any',
      );
      const later = await api.createProfile({});
      await api.patchProfile(later.body.profile_id, { traits: { visits: 3 } });
      const read = await api.getProfile(later.body.profile_id, (await api.logHead())!);
      expectStatus(read, 200);
      expect(read.body.traits.visits).toBe(3);

      const status = await admin('GET', '/admin/status');
      expect(status.body.dead_letters.count).toBeGreaterThanOrEqual(1);
      expect(status.body.projector).toMatchObject({ running: true, halted: false });
      expect(status.body.last_error).toContain('ProfileTeleported');
      const letters = await admin('GET', `/admin/dead-letters?after=${poisoned.position - 1}&limit=10`);
      expect(letters.body.dead_letters[0]).toMatchObject({
        position: poisoned.position,
        type: 'ProfileTeleported',
        stream: profileStream('acme', victim.body.profile_id),
        error: expect.stringContaining('unknown event type'),
      });
    });
  });
});
