import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/** blocked_values and max_profiles on /unification-rules: validated, and kept to. */
describe('rule safeguards', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'guard');
    expectStatus(
      await api.defineAttributes('identity_attributes', [
        { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'phone', value_type: 'string', merge_strategy: 'overwrite' },
      ]),
      201,
    );
  });
  afterAll(() => running.stop());

  const addRule = (body: Record<string, unknown>) => api.request('POST', '/unification-rules', { body });
  const profile = async (identity: Record<string, string>) => (await api.createProfile({ identity_attributes: identity })).body.profile_id as string;
  const liveId = async (id: string) => (await api.getProfile(id, (await api.logHead())!)).body.profile_id;

  it.each([
    [{ blocked_values: 'null' }, 'blocked_values'],
    [{ blocked_values: [1, 2] }, 'blocked_values'],
    [{ max_profiles: 1 }, 'max_profiles'],
    [{ max_profiles: 'two' }, 'max_profiles'],
  ])('refuses %j with 400 naming the field, appending nothing', async (safeguards, field) => {
    const res = await expectNothingAppended(api, () => addRule({ rule_name: `Bad ${field}`, property_name: 'identity_attributes.phone', ...safeguards }));
    expectError(res, 400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('never matches through a blocked value (exact, case-sensitive), and joins at most max_profiles profiles', async () => {
    const rule = await addRule({ rule_name: 'Email', property_name: 'identity_attributes.email', blocked_values: ['null', 'unknown@example.com'], max_profiles: 2 });
    expectStatus(rule, 201);
    expect(rule.body).toMatchObject({ blocked_values: ['null', 'unknown@example.com'], max_profiles: 2 });

    const [a, b] = [await profile({ email: 'unknown@example.com' }), await profile({ email: 'unknown@example.com' })];
    expect([await liveId(a), await liveId(b)]).toEqual([a, b]);
    const [c, d] = [await profile({ email: 'Unknown@example.com' }), await profile({ email: 'Unknown@example.com' })];
    expect(await liveId(d)).toBe(c);

    const [x, y, z] = [await profile({ email: 'family@example.com' }), await profile({ email: 'family@example.com' }), await profile({ email: 'family@example.com' })];
    expect(await liveId(y)).toBe(x);
    expect(await liveId(z)).toBe(z);
    const history = await api.request('GET', `/profiles/${z}/history`);
    expect(history.body.events).toContainEqual(expect.objectContaining({ type: 'merge_blocked', other_profile_id: x, reason: 'max_profiles', rule_name: 'Email' }));

    // Lifting the limit lets the next match through.
    expectStatus(await api.request('PATCH', `/unification-rules/${rule.body.rule_id}`, { body: { max_profiles: null } }), 200);
    expectStatus(await api.patchProfile(z, { identity_attributes: { email: 'family@example.com' } }), 200);
    expect(await liveId(z)).toBe(x);
  });
});
