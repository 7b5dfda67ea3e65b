import { ApiClient, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/** An attribute that a unification rule matches on cannot be removed from under the rule. */
describe('removing an attribute a rule uses', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'in-use');
  });
  afterAll(() => running.stop());

  it('answers 409 attribute_in_use naming the rule, appends nothing, and works once the rule is gone', async () => {
    const email = await api.defineAttributes('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' });
    expectStatus(email, 201);
    const rule = await api.request('POST', '/unification-rules', { body: { rule_name: 'Same email', property_name: 'identity_attributes.email' } });
    expectStatus(rule, 201);

    const refused = await expectNothingAppended(api, () => api.deleteAttribute('identity_attributes', email.body.attribute_id));
    expectError(refused, 409, 'attribute_in_use');
    expect(refused.body.message).toContain('Same email');
    expectStatus(await api.readSchema(`identity_attributes/${email.body.attribute_id}`), 200);

    expectStatus(await api.request('PATCH', `/unification-rules/${rule.body.rule_id}`, { body: { is_active: false } }), 200);
    expectError(await api.deleteAttribute('identity_attributes', email.body.attribute_id), 409, 'attribute_in_use');

    expectStatus(await api.request('DELETE', `/unification-rules/${rule.body.rule_id}`), 204);
    expectStatus(await api.deleteAttribute('identity_attributes', email.body.attribute_id), 204);
  });
});
