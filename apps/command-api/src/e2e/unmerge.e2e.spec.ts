import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * A wrong merge undone exactly, over HTTP: each side gets back exactly its own writes under
 * every strategy, the split is in both histories, rules do not merge the pair again, a manual
 * merge does, and all of it is a function of the log (the same after a restart and a rebuild).
 */
describe('unmerge and manual merge', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-unmerge-'));
  let running: RunningApp;
  let api: ApiClient;

  const start = async () => {
    running = await startTestApp({}, { dataDir });
    api = new ApiClient(running.baseUrl, 'split');
  };
  const read = async (id: string) => {
    const res = await api.getProfile(id, (await api.logHead())!);
    expectStatus(res, 200);
    return res.body;
  };
  const unmerge = (survivor: string, merged: string) => api.request('POST', `/profiles/${survivor}/unmerge`, { body: { profile_id: merged } });
  const mergeByHand = (survivor: string, other: string) => api.request('POST', `/profiles/${survivor}/merge`, { body: { profile_id: other } });

  beforeAll(async () => {
    await start();
    expectStatus(await api.defineAttributes('identity_attributes', [{ attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }]), 201);
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
        { attribute_name: 'last_page', value_type: 'string', merge_strategy: 'overwrite' },
      ]),
      201,
    );
    expectStatus(await api.request('POST', '/unification-rules', { body: { rule_name: 'Email', property_name: 'identity_attributes.email' } }), 201);
  });
  afterAll(async () => {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Two devices of one user merged by user_id, then written to through both ids. */
  async function mergedDevices(user: string) {
    const phone = (await api.createProfile({ traits: { visits: 1, pages: ['/phone'], last_page: '/phone' } })).body;
    const laptop = (await api.createProfile({ traits: { visits: 10, pages: ['/laptop'], last_page: '/laptop' } })).body;
    expectStatus(await api.signIn(user, phone.anonymous_profile_tracker), 200);
    expectStatus(await api.signIn(user, laptop.anonymous_profile_tracker), 200);
    expectStatus(await api.patchProfile(phone.profile_id, { traits: { visits: 2, pages: ['/phone-2'], last_page: '/phone-2' } }), 200);
    expectStatus(await api.patchProfile(laptop.profile_id, { traits: { visits: 20, pages: ['/laptop-2'], last_page: '/laptop-2' } }), 200);
    const merged = await read(phone.profile_id);
    expect(merged.traits.visits).toBe(33);
    return { phone: phone.profile_id as string, laptop: laptop.profile_id as string };
  }

  let pair: { phone: string; laptop: string };

  it('splits a merge off exactly: each side keeps its own writes under sum, combine and overwrite', async () => {
    pair = await mergedDevices('ann');
    const res = await unmerge(pair.phone, pair.laptop);
    expectStatus(res, 200);
    expect(res.position).toEqual(expect.any(Number));
    expect(res.body).toMatchObject({ profile_id: pair.phone, user_id: 'ann', merged_from: [] });
    expect(res.body.traits).toEqual({ visits: 3, pages: ['/phone', '/phone-2'], last_page: '/phone-2' });
    const split = await read(pair.laptop);
    expect(split).toMatchObject({ profile_id: pair.laptop, user_id: null, verified: false, merged_from: [] });
    expect(split.traits).toEqual({ visits: 30, pages: ['/laptop', '/laptop-2'], last_page: '/laptop-2' });
  });

  it('records the split in both histories', async () => {
    const survivor = await api.request('GET', `/profiles/${pair.phone}/history?page_size=1000`);
    const splitOff = await api.request('GET', `/profiles/${pair.laptop}/history?page_size=1000`);
    expect(survivor.body.events).toContainEqual(expect.objectContaining({ type: 'profile_split_off', merged_profile_id: pair.laptop, writes_returned: 1 }));
    expect(splitOff.body.events).toContainEqual(expect.objectContaining({ type: 'profile_restored', survivor_id: pair.phone, writes_returned: 1, user_id_cancelled: true }));
  });

  it('keeps the pair apart from rule matches, and records the blocked match; a manual merge joins them', async () => {
    expectStatus(await api.patchProfile(pair.phone, { identity_attributes: { email: 'shared@example.com' } }), 200);
    const matched = await api.patchProfile(pair.laptop, { identity_attributes: { email: 'shared@example.com' } });
    expectStatus(matched, 200);
    expect((await read(pair.laptop)).profile_id).toBe(pair.laptop);
    const history = await api.request('GET', `/profiles/${pair.laptop}/history?page_size=1000`);
    expect(history.body.events).toContainEqual(expect.objectContaining({ type: 'merge_blocked', other_profile_id: pair.phone, rule_name: 'Email', reason: 'kept_apart' }));

    const joined = await mergeByHand(pair.phone, pair.laptop);
    expectStatus(joined, 200);
    expect(joined.body.merged_from).toEqual([expect.objectContaining({ profile_id: pair.laptop, reason: 'manual', triggered_by: 'survivor' })]);
    expect(joined.body.traits.visits).toBe(33);
    expect((await read(pair.laptop)).profile_id).toBe(pair.phone);
  });

  it('refuses what it cannot do, with 409 or 400, appending nothing', async () => {
    const stranger = (await api.createProfile({})).body.profile_id;
    expectError(await expectNothingAppended(api, () => unmerge(pair.phone, stranger)), 409, 'not_merged_here');
    expectError(await expectNothingAppended(api, () => unmerge(pair.phone, 'not-a-uuid')), 400);
    expectError(await expectNothingAppended(api, () => api.request('POST', `/profiles/${pair.phone}/unmerge`, { body: {} })), 400);
    const bob = (await api.createProfile({})).body;
    expectStatus(await api.signIn('bob', bob.anonymous_profile_tracker), 200);
    expectError(await expectNothingAppended(api, () => mergeByHand(pair.phone, bob.profile_id)), 409, 'different_users');
  });

  it('comes back the same after a restart and after a rebuild: it is a function of the log', async () => {
    const before = [await read(pair.phone), await read(pair.laptop)];
    await running.stop();
    await start();
    expect([await read(pair.phone), await read(pair.laptop)]).toEqual(before);

    const adminToken = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${running.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const digest = (await (await admin('GET', '/admin/digest')).json()) as { digest: string };
    expect((await admin('POST', '/admin/rebuild', { digest: true })).status).toBe(202);
    let job: { state: string; result?: { digest: { digest: string } } } = { state: 'running' };
    for (let i = 0; i < 400 && job.state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      job = (await (await admin('GET', '/admin/rebuild')).json()) as typeof job;
    }
    expect(job.state).toBe('succeeded');
    expect(job.result?.digest.digest).toBe(digest.digest);
    expect([await read(pair.phone), await read(pair.laptop)]).toEqual(before);
  });
});
