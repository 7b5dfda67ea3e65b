import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/**
 * A 2xx means the write is in the log, forever, and counted once: writes that share a request id
 * are all kept, a reused Idempotency-Key with another request is refused, and a counter never
 * leaves the range it can hold exactly.
 */
describe('write safety', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'safety');
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'revenue', value_type: 'decimal', merge_strategy: 'sum' },
      ]),
      201,
    );
  });
  afterAll(() => running.stop());

  const newProfile = async (traits: Record<string, unknown> = {}) => {
    const res = await api.createProfile({ traits });
    expectStatus(res, 201);
    return res.body.profile_id as string;
  };
  const visits = async (id: string) => (await api.getProfile(id, (await api.logHead())!)).body.traits.visits;

  it('keeps all of 20 concurrent writes that share an X-Request-Id', async () => {
    const id = await newProfile();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.patchProfile(id, { traits: { visits: 1 } }, { 'x-request-id': 'one-and-the-same' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(await visits(id)).toBe(20);
  });

  it('keeps every one of 300 writes sent at once to one profile: none is turned away for the crowd', async () => {
    const id = await newProfile();
    const answers = await Promise.all(Array.from({ length: 300 }, () => api.patchProfile(id, { traits: { visits: 1 } })));
    expect(answers.filter((a) => a.status !== 200).map((a) => a.status)).toEqual([]);
    expect(await visits(id)).toBe(300);
  });

  it('replays a retried Idempotency-Key with the same body, concurrently too, and counts it once', async () => {
    const id = await newProfile();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => api.patchProfile(id, { traits: { visits: 5 } }, { 'idempotency-key': 'retry-me' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.position)).size).toBe(1);
    expect(await visits(id)).toBe(5);
  });

  it('answers 422 for an Idempotency-Key reused with a different body, and writes nothing', async () => {
    const id = await newProfile();
    expectStatus(await api.patchProfile(id, { traits: { visits: 1 } }, { 'idempotency-key': 'reused' }), 200);
    const refused = await expectNothingAppended(api, () => api.patchProfile(id, { traits: { visits: 2 } }, { 'idempotency-key': 'reused' }));
    expectError(refused, 422, 'idempotency_key_reused');
    expect(await visits(id)).toBe(1);
  });

  it('answers 422 for a create whose Idempotency-Key was used with other attributes', async () => {
    expectStatus(await api.createProfile({ traits: { visits: 1 } }, { 'idempotency-key': 'create-once' }), 201);
    const again = await api.createProfile({ traits: { visits: 1 } }, { 'idempotency-key': 'create-once' });
    expectStatus(again, 201);
    const other = await expectNothingAppended(api, () => api.createProfile({ traits: { visits: 9 } }, { 'idempotency-key': 'create-once' }));
    expectError(other, 422, 'idempotency_key_reused');
  });

  it('refuses a sum that would leave the safe integers (400 value_out_of_range), appending nothing', async () => {
    const id = await newProfile({ visits: Number.MAX_SAFE_INTEGER });
    const res = await expectNothingAppended(api, () => api.patchProfile(id, { traits: { visits: Number.MAX_SAFE_INTEGER } }));
    expectError(res, 400, 'value_out_of_range');
    expect(res.body.details).toEqual([{ field: 'traits.visits', reason: expect.any(String) }]);
    expect(await visits(id)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a decimal sum that would stop being a finite number', async () => {
    const id = await newProfile({ revenue: 1e308 });
    expectError(await expectNothingAppended(api, () => api.patchProfile(id, { traits: { revenue: 1e308 } })), 400, 'value_out_of_range');
    const read = await api.getProfile(id, (await api.logHead())!);
    expect(read.body.traits.revenue).toBe(1e308);
  });

  it('saturates counters that add up beyond their bound when two profiles merge, and says so in the history', async () => {
    const first = await api.createProfile({ traits: { visits: Number.MAX_SAFE_INTEGER - 1 } });
    const second = await api.createProfile({ traits: { visits: Number.MAX_SAFE_INTEGER - 1 } });
    expectStatus(await api.signIn('big-counter', first.body.anonymous_profile_tracker), 200);
    const merged = await api.signIn('big-counter', second.body.anonymous_profile_tracker);
    expectStatus(merged, 200);
    expect(merged.body.traits.visits).toBe(Number.MAX_SAFE_INTEGER);
    const history = await api.request('GET', `/profiles/${first.body.profile_id}/history?page_size=1000`);
    const mergeItem = history.body.events.find((e: { type: string }) => e.type === 'profile_merged_in');
    expect(mergeItem.saturated).toEqual(['traits.visits']);
  });
});
