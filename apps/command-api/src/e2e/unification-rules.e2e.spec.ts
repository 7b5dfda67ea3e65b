import { ApiClient, ApiResponse, expectError, expectNothingAppended, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

/** SPEC §5 and §6, seed 002: managing a tenant's identity resolution (unification) rules. */
describe('unification rules', () => {
  let running: RunningApp;
  let api: ApiClient;
  let orgCounter = 0;

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const UNKNOWN_ID = '3f1e2d3c-4b5a-4968-8776-655443322110';

  interface Rule {
    rule_id: string;
    rule_name: string;
    property_name: string;
    priority: number;
    is_active: boolean;
    immutable: boolean;
  }

  const rules = {
    add: (client: ApiClient, body: unknown, headers: Record<string, string> = {}) =>
      client.request('POST', '/unification-rules', { body, headers }),
    list: (client: ApiClient) => client.request('GET', '/unification-rules'),
    get: (client: ApiClient, id: string) => client.request('GET', `/unification-rules/${id}`),
    change: (client: ApiClient, id: string, body: unknown) => client.request('PATCH', `/unification-rules/${id}`, { body }),
    remove: (client: ApiClient, id: string) => client.request('DELETE', `/unification-rules/${id}`),
    reorder: (client: ApiClient, body: unknown) => client.request('PUT', '/unification-rules/priorities', { body }),
  };

  /** A fresh organization with the schema the rules refer to, so tests never see each other's rules. */
  async function organization(): Promise<ApiClient> {
    const client = api.forOrganization(`rules-${++orgCounter}`);
    const define = async (scope: string, body: unknown) => expectStatus(await client.defineAttributes(scope, body), 201);
    await define('identity_attributes', [
      { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' },
      { attribute_name: 'member_id', value_type: 'string', merge_strategy: 'oldest' },
      { attribute_name: 'phone', value_type: 'string', merge_strategy: 'overwrite' },
    ]);
    await define('traits', [
      { attribute_name: 'external_id', value_type: 'string', merge_strategy: 'overwrite' },
      { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
      { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
      { attribute_name: 'vip', value_type: 'boolean', merge_strategy: 'overwrite' },
    ]);
    await define('application_data', {
      attribute_name: 'crm_id',
      value_type: 'string',
      merge_strategy: 'overwrite',
      application_identifier: 'crm',
    });
    return client;
  }

  const addOk = async (client: ApiClient, body: Record<string, unknown>): Promise<Rule> => {
    const res = await rules.add(client, body);
    expectStatus(res, 201);
    return res.body;
  };
  const order = (res: ApiResponse) => (res.body as Rule[]).map((r) => [r.rule_name, r.priority]);

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'rules');
  });
  afterAll(() => running.stop());

  describe('POST /unification-rules', () => {
    it('adds a rule: 201 with its generated rule_id, active and mutable by default, with the log position', async () => {
      const client = await organization();
      const res = await rules.add(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      expectStatus(res, 201);
      expect(res.position).toEqual(expect.any(Number));
      expect(res.position).toBe(await client.logHead());
      expect(res.body).toEqual({
        rule_id: expect.stringMatching(UUID),
        rule_name: 'Email',
        property_name: 'identity_attributes.email',
        priority: 1,
        is_active: true,
        immutable: false,
      });
    });

    it('puts a rule without a priority at the end of the list, with the lowest priority', async () => {
      const client = await organization();
      await addOk(client, { rule_name: 'Member', property_name: 'identity_attributes.member_id', priority: 4, immutable: true });
      const next = await addOk(client, { rule_name: 'External id', property_name: 'traits.external_id' });
      expect(next.priority).toBe(5);
    });

    it('keeps an explicit priority, is_active and immutable', async () => {
      const client = await organization();
      const rule = await addOk(client, {
        rule_name: 'Member',
        property_name: 'identity_attributes.member_id',
        priority: 3,
        is_active: false,
        immutable: true,
      });
      expect(rule).toMatchObject({ priority: 3, is_active: false, immutable: true });
    });

    it('adds nothing more when retried with the same Idempotency-Key', async () => {
      const client = await organization();
      const body = { rule_name: 'Email', property_name: 'identity_attributes.email' };
      const headers = { 'idempotency-key': 'add-email-rule' };
      const first = await rules.add(client, body, headers);
      expectStatus(first, 201);
      const retry = await expectNothingAppended(client, () => rules.add(client, body, headers));
      expectStatus(retry, 201);
      expect(retry.body).toEqual(first.body);
      expect((await rules.list(client)).body).toEqual([first.body]);
    });

    it('gives two rules added at once distinct priorities', async () => {
      const client = await organization();
      const answers = await Promise.all([
        rules.add(client, { rule_name: 'Email', property_name: 'identity_attributes.email' }),
        rules.add(client, { rule_name: 'Phone', property_name: 'identity_attributes.phone' }),
        rules.add(client, { rule_name: 'External id', property_name: 'traits.external_id' }),
      ]);
      answers.forEach((res) => expectStatus(res, 201));
      expect(answers.map((res) => res.body.priority).sort()).toEqual([1, 2, 3]);
    });

    describe('refuses, appending nothing', () => {
      let client: ApiClient;

      beforeAll(async () => {
        client = await organization();
        await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      });

      it('an application_data property (400, with the reason)', async () => {
        const res = await expectNothingAppended(client, () =>
          rules.add(client, { rule_name: 'CRM', property_name: 'application_data.crm_id' }),
        );
        expectError(res, 400, 'invalid_rule');
        expect(res.body.details).toEqual([{ field: 'property_name', reason: expect.stringContaining('application_data') }]);
      });

      it('an attribute that is not defined in the schema (400, naming it)', async () => {
        const res = await expectNothingAppended(client, () =>
          rules.add(client, { rule_name: 'Loyalty', property_name: 'traits.loyalty_number' }),
        );
        expectError(res, 400, 'invalid_rule');
        expect(res.body.details).toEqual([{ field: 'property_name', reason: expect.stringContaining('traits.loyalty_number') }]);
        expect(res.body.message).toContain('traits.loyalty_number');
      });

      it.each([
        ['an integer', 'traits.visits'],
        ['a boolean', 'traits.vip'],
        ['a multi-valued string', 'traits.interests'],
      ])('%s attribute: only single-valued text attributes can be identities (400)', async (_label, property_name) => {
        const res = await expectNothingAppended(client, () => rules.add(client, { rule_name: 'Not text', property_name }));
        expectError(res, 400, 'invalid_rule');
        expect(res.body.details[0].reason).toContain('only single-valued string attributes');
      });

      it('a property that is not a profile-wide attribute (400)', async () => {
        await expectNothingAppended(client, async () => {
          expectError(await rules.add(client, { rule_name: 'X', property_name: 'email' }), 400);
          expectError(await rules.add(client, { rule_name: 'X', property_name: 'profile.email' }), 400);
        });
      });

      it('a second rule on the same property (409)', async () => {
        const res = await expectNothingAppended(client, () =>
          rules.add(client, { rule_name: 'Email again', property_name: 'identity_attributes.email' }),
        );
        expectError(res, 409, 'rule_exists');
      });

      it('a priority another rule has (409)', async () => {
        const res = await expectNothingAppended(client, () =>
          rules.add(client, { rule_name: 'Phone', property_name: 'identity_attributes.phone', priority: 1 }),
        );
        expectError(res, 409, 'priority_taken');
      });

      it('a name another rule has (409)', async () => {
        const res = await expectNothingAppended(client, () => rules.add(client, { rule_name: 'Email', property_name: 'identity_attributes.phone' }));
        expectError(res, 409, 'rule_name_taken');
      });

      it.each<[string, unknown]>([
        ['an unknown field', { rule_name: 'Phone', property_name: 'identity_attributes.phone', matching: 'fuzzy' }],
        ['a rule_id', { rule_id: UNKNOWN_ID, rule_name: 'Phone', property_name: 'identity_attributes.phone' }],
        ['no rule_name', { property_name: 'identity_attributes.phone' }],
        ['a rule_name of 129 characters', { rule_name: 'x'.repeat(129), property_name: 'identity_attributes.phone' }],
        ['no property_name', { rule_name: 'Phone' }],
        ['priority 0', { rule_name: 'Phone', property_name: 'identity_attributes.phone', priority: 0 }],
        ['a fractional priority', { rule_name: 'Phone', property_name: 'identity_attributes.phone', priority: 1.5 }],
        ['a priority as text', { rule_name: 'Phone', property_name: 'identity_attributes.phone', priority: '2' }],
        ['is_active as text', { rule_name: 'Phone', property_name: 'identity_attributes.phone', is_active: 'yes' }],
        ['an array', [{ rule_name: 'Phone', property_name: 'identity_attributes.phone' }]],
      ])('%s (400)', async (_label, body) => {
        const res = await expectNothingAppended(client, () => rules.add(client, body));
        expectError(res, 400);
      });

      it('a body that is not JSON, or none (400)', async () => {
        await expectNothingAppended(client, async () => {
          expectError(
            await client.request('POST', '/unification-rules', { rawBody: '{"rule_name":', headers: { 'content-type': 'application/json' } }),
            400,
          );
          expectError(await client.request('POST', '/unification-rules'), 400);
        });
      });

      it('nothing was added by any of them', async () => {
        expect(order(await rules.list(client))).toEqual([['Email', 1]]);
      });
    });
  });

  describe('GET', () => {
    it('GET /unification-rules answers every rule, highest priority first', async () => {
      const client = await organization();
      const member = await addOk(client, { rule_name: 'Member', property_name: 'identity_attributes.member_id', priority: 7, immutable: true });
      const email = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email', priority: 2 });
      const external = await addOk(client, { rule_name: 'External id', property_name: 'traits.external_id', is_active: false });
      const res = await rules.list(client);
      expectStatus(res, 200);
      expect(res.body).toEqual([email, member, external]);
    });

    it('GET /unification-rules/{id} answers one rule', async () => {
      const client = await organization();
      const rule = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      const res = await rules.get(client, rule.rule_id);
      expectStatus(res, 200);
      expect(res.body).toEqual(rule);
    });

    it('answers 404 for an unknown rule, or one of another organization', async () => {
      const client = await organization();
      const other = await organization();
      const rule = await addOk(other, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      expectError(await rules.get(client, UNKNOWN_ID), 404, 'rule_not_found');
      expectError(await rules.get(client, 'not-a-uuid'), 404, 'rule_not_found');
      expectError(await rules.get(client, rule.rule_id), 404, 'rule_not_found');
    });

    it('answers an empty list for an organization without rules', async () => {
      const res = await rules.list(api.forOrganization('rules-none'));
      expectStatus(res, 200);
      expect(res.body).toEqual([]);
    });
  });

  describe('PATCH /unification-rules/{id}', () => {
    it('changes only the fields given, with the log position', async () => {
      const client = await organization();
      const rule = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      const res = await rules.change(client, rule.rule_id, { immutable: true, rule_name: 'Primary email' });
      expectStatus(res, 200);
      expect(res.position).toBe(await client.logHead());
      expect(res.body).toEqual({ ...rule, immutable: true, rule_name: 'Primary email' });
      expect((await rules.get(client, rule.rule_id)).body).toEqual(res.body);
    });

    it('deactivates and moves a rule to a free priority', async () => {
      const client = await organization();
      const email = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      const phone = await addOk(client, { rule_name: 'Phone', property_name: 'identity_attributes.phone' });
      expectStatus(await rules.change(client, email.rule_id, { priority: 3, is_active: false }), 200);
      expect((await rules.list(client)).body).toEqual([phone, { ...email, priority: 3, is_active: false }]);
    });

    it('appends nothing when nothing changes', async () => {
      const client = await organization();
      const rule = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      const res = await expectNothingAppended(client, () =>
        rules.change(client, rule.rule_id, { is_active: true, property_name: 'identity_attributes.email' }),
      );
      expectStatus(res, 200);
      expect(res.body).toEqual(rule);
    });

    describe('refuses, appending nothing', () => {
      let client: ApiClient;
      let email: Rule;

      beforeAll(async () => {
        client = await organization();
        email = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
        await addOk(client, { rule_name: 'Phone', property_name: 'identity_attributes.phone' });
      });

      it('a change of the property (409: fixed once the rule exists)', async () => {
        const res = await expectNothingAppended(client, () =>
          rules.change(client, email.rule_id, { property_name: 'identity_attributes.member_id' }),
        );
        expectError(res, 409, 'rule_field_fixed');
      });

      it('a priority or a name another rule has (409)', async () => {
        await expectNothingAppended(client, async () => {
          expectError(await rules.change(client, email.rule_id, { priority: 2 }), 409, 'priority_taken');
          expectError(await rules.change(client, email.rule_id, { rule_name: 'Phone' }), 409, 'rule_name_taken');
        });
      });

      it('invalid values and unknown fields (400)', async () => {
        await expectNothingAppended(client, async () => {
          expectError(await rules.change(client, email.rule_id, { priority: -1 }), 400);
          expectError(await rules.change(client, email.rule_id, { immutable: 'true' }), 400);
          expectError(await rules.change(client, email.rule_id, { rule_name: '' }), 400);
          expectError(await rules.change(client, email.rule_id, { weight: 3 }), 400);
        });
      });

      it('an unknown rule (404)', async () => {
        const res = await expectNothingAppended(client, () => rules.change(client, UNKNOWN_ID, { is_active: false }));
        expectError(res, 404, 'rule_not_found');
      });

      it('left the rule as it was', async () => {
        expect((await rules.get(client, email.rule_id)).body).toEqual(email);
      });
    });
  });

  describe('DELETE /unification-rules/{id}', () => {
    it('removes the rule: 204, then it is gone, and its property, name and priority are free again', async () => {
      const client = await organization();
      const email = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      const phone = await addOk(client, { rule_name: 'Phone', property_name: 'identity_attributes.phone' });
      const res = await rules.remove(client, email.rule_id);
      expectStatus(res, 204);
      expect(res.position).toBe(await client.logHead());
      expectError(await rules.get(client, email.rule_id), 404, 'rule_not_found');
      expect((await rules.list(client)).body).toEqual([phone]);
      const again = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email', priority: 1 });
      expect(again.rule_id).not.toBe(email.rule_id);
    });

    it('answers 404 for an unknown or removed rule, appending nothing', async () => {
      const client = await organization();
      const rule = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      expectStatus(await rules.remove(client, rule.rule_id), 204);
      await expectNothingAppended(client, async () => {
        expectError(await rules.remove(client, rule.rule_id), 404, 'rule_not_found');
        expectError(await rules.remove(client, UNKNOWN_ID), 404, 'rule_not_found');
      });
    });
  });

  describe('PUT /unification-rules/priorities', () => {
    let client: ApiClient;
    let email: Rule;
    let member: Rule;
    let phone: Rule;

    beforeAll(async () => {
      client = await organization();
      email = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      member = await addOk(client, { rule_name: 'Member', property_name: 'identity_attributes.member_id', immutable: true });
      phone = await addOk(client, { rule_name: 'Phone', property_name: 'identity_attributes.phone' });
    });

    it('saves a new order in one step: 200 with the reordered list, one event in the log', async () => {
      const before = (await client.logHead()) as number;
      const res = await rules.reorder(client, {
        priorities: [
          { rule_id: email.rule_id, priority: 3 },
          { rule_id: member.rule_id, priority: 1 },
          { rule_id: phone.rule_id, priority: 2 },
        ],
      });
      expectStatus(res, 200);
      expect(res.body).toEqual([
        { ...member, priority: 1 },
        { ...phone, priority: 2 },
        { ...email, priority: 3 },
      ]);
      expect(res.position).toBe(before + 1);
      expect(await client.logHead()).toBe(before + 1);
      expect((await rules.list(client)).body).toEqual(res.body);
    });

    it('appends nothing for the order in force', async () => {
      const current: Rule[] = (await rules.list(client)).body;
      const res = await expectNothingAppended(client, () =>
        rules.reorder(client, { priorities: current.map((r) => ({ rule_id: r.rule_id, priority: r.priority })) }),
      );
      expectStatus(res, 200);
      expect(res.body).toEqual(current);
    });

    it.each<[string, (ids: string[]) => unknown, number, string]>([
      ['an order that leaves a rule out', ([a, b]) => ({ priorities: [{ rule_id: a, priority: 1 }, { rule_id: b, priority: 2 }] }), 400, 'invalid_priorities'],
      [
        'a rule named twice',
        ([a, b, c]) => ({ priorities: [{ rule_id: a, priority: 1 }, { rule_id: a, priority: 2 }, { rule_id: b, priority: 3 }, { rule_id: c, priority: 4 }] }),
        400,
        'invalid_priorities',
      ],
      [
        'a priority given twice',
        ([a, b, c]) => ({ priorities: [{ rule_id: a, priority: 1 }, { rule_id: b, priority: 1 }, { rule_id: c, priority: 2 }] }),
        400,
        'invalid_priorities',
      ],
      [
        'a priority of 0',
        ([a, b, c]) => ({ priorities: [{ rule_id: a, priority: 0 }, { rule_id: b, priority: 1 }, { rule_id: c, priority: 2 }] }),
        400,
        'invalid_priorities',
      ],
      [
        'an unknown field in an entry',
        ([a, b, c]) => ({ priorities: [{ rule_id: a, priority: 1, rule_name: 'x' }, { rule_id: b, priority: 2 }, { rule_id: c, priority: 3 }] }),
        400,
        'invalid_priorities',
      ],
      ['priorities that are not a list', () => ({ priorities: { a: 1 } }), 400, 'invalid_body'],
      ['no priorities', () => ({}), 400, 'invalid_body'],
      ['an unknown field', ([a, b, c]) => ({ priorities: [a, b, c].map((rule_id, i) => ({ rule_id, priority: i + 1 })), dry_run: true }), 400, 'invalid_body'],
      [
        'a rule that does not exist',
        ([a, b, c]) => ({ priorities: [...[a, b, c].map((rule_id, i) => ({ rule_id, priority: i + 1 })), { rule_id: UNKNOWN_ID, priority: 4 }] }),
        404,
        'rule_not_found',
      ],
    ])('refuses %s, appending nothing', async (_label, body, status, code) => {
      const before: Rule[] = (await rules.list(client)).body;
      const res = await expectNothingAppended(client, () => rules.reorder(client, body(before.map((r) => r.rule_id))));
      expectError(res, status, code);
      expect((await rules.list(client)).body).toEqual(before);
    });
  });

  describe('scopes', () => {
    it('needs internal_cds_unification_rules_manage to write and _view to read (403), appending nothing', async () => {
      const client = await organization();
      const rule = await addOk(client, { rule_name: 'Email', property_name: 'identity_attributes.email' });
      const viewOnly = await client.token('internal_cds_unification_rules_view');
      const manageOnly = await client.token('internal_cds_unification_rules_manage');
      const schemaManager = await client.token('internal_cds_profile_schema_manage internal_cds_profile_schema_view');
      await expectNothingAppended(client, async () => {
        const body = { rule_name: 'Phone', property_name: 'identity_attributes.phone' };
        expectError(await client.request('POST', '/unification-rules', { body, token: viewOnly }), 403);
        expectError(await client.request('POST', '/unification-rules', { body, token: schemaManager }), 403);
        expectError(await client.request('PATCH', `/unification-rules/${rule.rule_id}`, { body: { is_active: false }, token: viewOnly }), 403);
        expectError(await client.request('DELETE', `/unification-rules/${rule.rule_id}`, { token: viewOnly }), 403);
        expectError(
          await client.request('PUT', '/unification-rules/priorities', { body: { priorities: [{ rule_id: rule.rule_id, priority: 2 }] }, token: viewOnly }),
          403,
        );
        expectError(await client.request('GET', '/unification-rules', { token: manageOnly }), 403);
        expectError(await client.request('GET', `/unification-rules/${rule.rule_id}`, { token: schemaManager }), 403);
        expectError(await client.request('GET', '/unification-rules', { token: null }), 401);
      });
      expectStatus(await client.request('GET', '/unification-rules', { token: viewOnly }), 200);
      expect((await rules.get(client, rule.rule_id)).body).toEqual(rule);
    });

    it('refuses a token of another organization (403), appending nothing', async () => {
      const client = await organization();
      const otherToken = await client.token(undefined, 'rules-elsewhere');
      await expectNothingAppended(client, async () => {
        const res = await client.request('POST', '/unification-rules', {
          body: { rule_name: 'Email', property_name: 'identity_attributes.email' },
          token: otherToken,
        });
        expect([401, 403]).toContain(res.status);
      });
    });
  });
});
