import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  mergesStream,
  ProfileCommands,
  ProfileMerger,
  ProfileRepository,
  ProfileResolver,
  SchemaService,
  toNewEvent,
} from '@cds/application';
import { parseAttributeWrites } from '@cds/domain';
import { steppingClock } from '@cds/contract-tests';
import { FileEventStore } from './event-log';

/**
 * A merge is a decision then two appends. A process that dies between any two of them leaves
 * a half-done merge that the next process completes, exactly once.
 */
describe('merges interrupted by a crash', () => {
  const tenant = 'crashy';
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cds-merge-recovery-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  /** One "process": services over the log in the directory. */
  async function boot() {
    const store = await FileEventStore.open({ directory, fsync: false });
    const clock = steppingClock();
    const repository = new ProfileRepository(store);
    const commands = new ProfileCommands(repository);
    const resolver = new ProfileResolver(repository);
    const schema = new SchemaService(store);
    const merger = new ProfileMerger(store, repository, commands, resolver, schema, clock);
    return { store, repository, commands, merger, schema, at: () => clock.now().toISOString() };
  }

  /** Two profiles with 2 and 3 visits, and a decision to merge B into A that was never carried out. */
  async function decidedButNotCarriedOut() {
    const p = await boot();
    await p.schema.execute(
      tenant,
      { type: 'DefineAttributes', scope: 'traits', inputs: [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }], attributeIds: [randomUUID()], at: p.at() },
      randomUUID(),
    );
    const schema = await p.schema.current(tenant);
    const ids: string[] = [];
    for (const visits of [2, 3]) {
      const id = randomUUID();
      const writes = parseAttributeWrites(schema, { traits: { visits } });
      await p.commands.execute(
        tenant,
        id,
        () => ({ type: 'CreateProfile', profile_id: id, anonymous_profile_tracker: randomUUID(), tracking_consent: true, initial_writes: writes, at: p.at() }),
        { correlationId: randomUUID() },
      );
      ids.push(id);
    }
    const [a, b] = ids;
    const decision = { survivor_id: a, merged_id: b, reason: { kind: 'user_id' as const }, triggered_by: 'merged' as const, at: p.at() };
    await p.store.append(mergesStream(tenant), [toNewEvent({ type: 'MergeDecided', data: decision }, randomUUID(), { tenant })], 'no_stream');
    return { p, a, b, decision };
  }

  it('completes a decision taken just before the crash, on restart', async () => {
    const { p, a, b } = await decidedButNotCarriedOut();
    await p.store.close();

    const restarted = await boot();
    expect(await restarted.merger.completePending()).toBe(1);
    const survivor = await restarted.repository.load(tenant, a);
    expect(survivor.state.attributes.traits.visits).toBe(5);
    expect((await restarted.repository.load(tenant, b)).state).toMatchObject({ status: 'merged', merged_into: a });
    await restarted.store.close();
  });

  it('completes a merge whose profile closed but was not yet absorbed, once however often it is completed', async () => {
    const { p, a, b, decision } = await decidedButNotCarriedOut();
    // The crash came after step 1 (close), before step 2 (absorb).
    await p.commands.execute(
      tenant,
      b,
      () => ({ type: 'MergeAway', survivor_id: a, reason: decision.reason, triggered_by: decision.triggered_by, at: p.at() }),
      { correlationId: randomUUID() },
    );
    expect((await p.repository.load(tenant, a)).state.attributes.traits.visits).toBe(2);
    await p.store.close();

    const restarted = await boot();
    await restarted.merger.completePending();
    await restarted.merger.completePending();
    const survivor = await restarted.repository.load(tenant, a);
    expect(survivor.state.attributes.traits.visits).toBe(5);
    expect(survivor.state.merged_from.map((m) => m.profile_id)).toEqual([b]);
    await restarted.store.close();
  });

  it('the next merge of the tenant completes a pending one before deciding its own', async () => {
    const { p, a } = await decidedButNotCarriedOut();
    const planned = jest.fn(async () => null);
    await p.merger.merge(tenant, planned, randomUUID());
    expect(planned).toHaveBeenCalledTimes(1);
    expect((await p.repository.load(tenant, a)).state.attributes.traits.visits).toBe(5);
    await p.store.close();
  });
});
