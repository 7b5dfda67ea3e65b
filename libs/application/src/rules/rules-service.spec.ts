import { DomainError, rulesByPriority } from '@cds/domain';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../ports/event-store.port';
import { SchemaService } from '../schema/schema-service';
import { rulesStream } from '../streams/stream-names';
import { RulesService } from './rules-service';

/** Just enough of the log for the services: streams with expected revisions, in memory. */
class MemoryStore implements Pick<EventStore, 'append' | 'readStream'> {
  readonly events: RecordedEvent[] = [];

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    await Promise.resolve();
    const stream = this.events.filter((e) => e.streamId === streamId);
    const actual = stream.length === 0 ? 'no_stream' : stream.length - 1;
    if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevisionError(streamId, expected, actual);
    for (const [i, e] of events.entries()) {
      this.events.push({ ...e, streamId, revision: stream.length + i, position: this.events.length, created: '2026-06-05T10:00:00.000Z' });
    }
    return { nextRevision: stream.length + events.length - 1, position: this.events.length - 1 };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    await Promise.resolve();
    return this.events.filter((e) => e.streamId === streamId && e.revision >= (options.fromRevision ?? 0));
  }
}

const AT = '2026-06-05T10:00:00.000Z';
const TENANT = 'acme';

async function setUp() {
  const store = new MemoryStore();
  const schema = new SchemaService(store as unknown as EventStore);
  await schema.execute(
    TENANT,
    {
      type: 'DefineAttributes',
      scope: 'identity_attributes',
      inputs: [
        { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'member_id', value_type: 'string', merge_strategy: 'oldest' },
      ],
      attributeIds: ['a-email', 'a-member'],
      at: AT,
    },
    'define',
  );
  const rules = () => new RulesService(store as unknown as EventStore, schema);
  return { store, rules };
}

const addRule = (ruleId: string, input: Record<string, unknown>) => ({ type: 'AddRule' as const, ruleId, input, at: AT });

describe('RulesService', () => {
  it('appends the decided events to the tenant rules stream, with the schema version and correlation', async () => {
    const { store, rules } = await setUp();
    const service = rules();
    const { state, position } = await service.execute(TENANT, addRule('r1', { rule_name: 'Email', property_name: 'identity_attributes.email' }), 'req-1');
    expect(position).toEqual(expect.any(Number));
    expect(state.byId.get('r1')).toMatchObject({ priority: 1, is_active: true, immutable: false });
    const [event] = store.events.filter((e) => e.streamId === rulesStream(TENANT));
    expect(event).toMatchObject({
      type: 'UnificationRuleAdded',
      revision: 0,
      metadata: { schema_version: 1, tenant: TENANT, correlation_id: 'req-1' },
    });
  });

  it('validates against the schema: an undefined attribute appends nothing', async () => {
    const { store, rules } = await setUp();
    const before = store.events.length;
    await expect(rules().execute(TENANT, addRule('r1', { rule_name: 'X', property_name: 'traits.nope' }), 'req')).rejects.toMatchObject({
      code: 'invalid_rule',
    });
    expect(store.events).toHaveLength(before);
  });

  it('appends nothing, and answers no position, for a command that changes nothing', async () => {
    const { store, rules } = await setUp();
    const service = rules();
    await service.execute(TENANT, addRule('r1', { rule_name: 'Email', property_name: 'identity_attributes.email' }), 'req-1');
    const before = store.events.length;
    const { position } = await service.execute(TENANT, { type: 'ChangeRule', ruleId: 'r1', input: { is_active: true }, at: AT }, 'req-2');
    expect(position).toBeNull();
    expect(store.events).toHaveLength(before);
  });

  it('catches up with rules another process appended', async () => {
    const { rules } = await setUp();
    const [one, other] = [rules(), rules()];
    expect((await other.current(TENANT)).byId.size).toBe(0);
    await one.execute(TENANT, addRule('r1', { rule_name: 'Email', property_name: 'identity_attributes.email' }), 'req-1');
    expect([...(await other.current(TENANT)).byId.keys()]).toEqual(['r1']);
    // Its decisions see them too: the next rule goes after the first.
    const { state } = await other.execute(TENANT, addRule('r2', { rule_name: 'Member', property_name: 'identity_attributes.member_id' }), 'req-2');
    expect(rulesByPriority(state).map((r) => [r.rule_id, r.priority])).toEqual([
      ['r1', 1],
      ['r2', 2],
    ]);
  });

  it('decides again on a concurrent write: two racing additions both land, at distinct priorities', async () => {
    const { rules } = await setUp();
    const [one, other] = [rules(), rules()];
    await Promise.all([one.current(TENANT), other.current(TENANT)]);
    await Promise.all([
      one.execute(TENANT, addRule('r1', { rule_name: 'Email', property_name: 'identity_attributes.email' }), 'req-1'),
      other.execute(TENANT, addRule('r2', { rule_name: 'Member', property_name: 'identity_attributes.member_id' }), 'req-2'),
    ]);
    expect(rulesByPriority(await one.current(TENANT)).map((r) => r.priority)).toEqual([1, 2]);
  });

  it('lets one of two racing rules on the same property win; the other is a conflict', async () => {
    const { rules } = await setUp();
    const [one, other] = [rules(), rules()];
    const results = await Promise.allSettled([
      one.execute(TENANT, addRule('r1', { rule_name: 'Email', property_name: 'identity_attributes.email' }), 'req-1'),
      other.execute(TENANT, addRule('r2', { rule_name: 'Email 2', property_name: 'identity_attributes.email' }), 'req-2'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(DomainError);
    expect(rejected?.reason.code).toBe('rule_exists');
    expect((await one.current(TENANT)).byId.size).toBe(1);
  });

  it('keeps tenants apart', async () => {
    const { rules } = await setUp();
    const service = rules();
    await service.execute(TENANT, addRule('r1', { rule_name: 'Email', property_name: 'identity_attributes.email' }), 'req-1');
    expect((await service.current('other')).byId.size).toBe(0);
  });
});
