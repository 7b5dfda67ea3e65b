import { randomUUID } from 'node:crypto';
import {
  EventStore,
  GenerationConflictError,
  InMemoryLeaseStore,
  LogPosition,
  partitionCheckpoints,
  partitionLeaseName,
  projectionLeaseGroup,
  ProfileProjector,
  ProfileReadModel,
  RecordedEvent,
  ReadModelGenerations,
  digestReadModel,
  prepareReplay,
  profileStream,
  readProfileAsOf,
  readProfileHistory,
  rebuildReadModel,
} from '@cds/application';
import { toUnifiedProfile } from '@cds/domain';
import { uniqueCheckpoint, uniqueTenant } from './read-model.builder';
import { appendToProfile, ScenarioResult, writeProfileScenario } from './profile-projection.scenario';

export interface OperationsFixture {
  store: EventStore;
  /** Fresh generations: the active one is empty. */
  generations: ReadModelGenerations;
  cleanup(): Promise<void>;
}

const CHECKPOINT = 'unified-profiles';

/** Folds the log into a read model up to its head, as the live projector does. */
async function project(store: EventStore, readModel: ProfileReadModel, name = CHECKPOINT): Promise<ProfileProjector> {
  const projector = new ProfileProjector(store, readModel, { name, batchSize: 50, idleFlushMs: 1 });
  await projector.start();
  const head = await store.headPosition();
  if (head !== null && !(await projector.waitFor(head, 30_000))) throw new Error('projector did not catch up');
  await projector.stop();
  return projector;
}

/** What GET /profiles/{id} answers from a read model: the live profile or its survivor, else null. */
async function liveProfile(readModel: ProfileReadModel, tenant: string, id: string) {
  let current = id;
  for (let hop = 0; hop < 16; hop++) {
    const doc = await readModel.get(tenant, current);
    if (doc?.state.status === 'active') return toUnifiedProfile(tenant, doc.state);
    if (doc?.state.status !== 'merged' || !doc.state.merged_into) return null;
    current = doc.state.merged_into;
  }
  return null;
}

async function tenantEvents(store: EventStore, tenant: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after: LogPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000, filter: { streamPrefixes: [`profile-${tenant}.`] } });
    events.push(...page);
    if (page.length < 1000) return events;
    after = page[page.length - 1].position;
  }
}

/**
 * Operators' and analysts' operations over a real log and read-model generations: a profile as of
 * a point of the log, its history with what merged into it, a replay of every profile, the digest,
 * rebuilds into a new generation (resumed, switched by compare-and-set), and dead letters.
 */
export function describeOperationsContract(
  name: string,
  open: () => Promise<OperationsFixture>,
  /** Poison events go to a log no other suite folds; a shared server's log is left clean. */
  options: { poison: boolean } = { poison: true },
): void {
  describe(`operations: ${name}`, () => {
    let fixture: OperationsFixture;
    let scenario: ScenarioResult;
    let live: ProfileReadModel;

    beforeEach(async () => {
      fixture = await open();
      scenario = await writeProfileScenario(fixture.store, uniqueTenant('ops'));
      live = (await fixture.generations.open((await fixture.generations.state()).active)).readModel;
      await project(fixture.store, live);
    });
    afterEach(() => fixture.cleanup());

    describe('as of', () => {
      it('at the head equals the live read model for every id, merged-away and erased ones included', async () => {
        const head = (await fixture.store.headPosition())!;
        for (const id of scenario.profileIds) {
          const then = await readProfileAsOf(fixture.store, scenario.tenant, id, { kind: 'position', position: head });
          const expected = await liveProfile(live, scenario.tenant, id);
          expect(then === null ? null : toUnifiedProfile(scenario.tenant, then.state)).toEqual(expected);
        }
        const erased = scenario.profileIds[scenario.profileIds.length - 1];
        expect(await readProfileAsOf(fixture.store, scenario.tenant, erased, { kind: 'position', position: head })).toBeNull();
      });

      it('at each event of a profile equals the fold of its stream up to there, and follows a merge only once it happened', async () => {
        const survivor = scenario.survivors.alice;
        const merged = scenario.profileIds.find((id) => id !== survivor && scenario.profileIds.indexOf(id) < 3)!;
        const mergedStream = await fixture.store.readStream(profileStream(scenario.tenant, merged));
        const mergedAway = mergedStream.find((e) => e.type === 'ProfileMergedAway')!;
        const beforeMerge = mergedStream[mergedStream.indexOf(mergedAway) - 1];

        // Before the merge the id answers as itself, with what it held then.
        const then = await readProfileAsOf(fixture.store, scenario.tenant, merged, { kind: 'position', position: beforeMerge.position });
        expect(then!.state.profile_id).toBe(merged);
        expect(then!.state.status).toBe('active');
        expect(then!.position).toBe(beforeMerge.position);

        // From the merge on it answers with the survivor as it was at the same point.
        const after = await readProfileAsOf(fixture.store, scenario.tenant, merged, { kind: 'position', position: mergedAway.position });
        const survivorThen = await readProfileAsOf(fixture.store, scenario.tenant, survivor, { kind: 'position', position: mergedAway.position });
        expect(after!.state.profile_id).toBe(survivor);
        expect(after).toEqual(survivorThen);

        // Before the profile existed: nothing.
        expect(await readProfileAsOf(fixture.store, scenario.tenant, merged, { kind: 'position', position: mergedStream[0].position - 1 })).toBeNull();
      });

      it('takes a time: everything the log stored at or before it', async () => {
        const events = await tenantEvents(fixture.store, scenario.tenant);
        const last = events[events.length - 1];
        const head = (await fixture.store.headPosition())!;
        const byTime = await readProfileAsOf(fixture.store, scenario.tenant, scenario.survivors.bob, {
          kind: 'time',
          time: last.created,
          epochMs: Date.parse(last.created),
        });
        const byHead = await readProfileAsOf(fixture.store, scenario.tenant, scenario.survivors.bob, { kind: 'position', position: head });
        expect(byTime).toEqual(byHead);
        const before = Date.parse(events[0].created) - 1;
        expect(
          await readProfileAsOf(fixture.store, scenario.tenant, scenario.survivors.bob, { kind: 'time', time: new Date(before).toISOString(), epochMs: before }),
        ).toBeNull();
      });
    });

    describe('history', () => {
      it('holds the events of the profile and of everything merged into it, in log order', async () => {
        const survivor = scenario.survivors.alice;
        const page = (await readProfileHistory(fixture.store, scenario.tenant, survivor, { pageSize: 1000 }))!;
        expect(page.profile_id).toBe(survivor);
        expect(page.profile_ids).toHaveLength(3);
        const expected: RecordedEvent[] = [];
        for (const id of page.profile_ids) expected.push(...(await fixture.store.readStream(profileStream(scenario.tenant, id))));
        expected.sort((a, b) => a.position - b.position);
        expect(page.events.map((e) => e.position)).toEqual(expected.map((e) => e.position));
        for (let i = 1; i < page.events.length; i++) expect(page.events[i].position).toBeGreaterThan(page.events[i - 1].position);
        expect(new Set(page.events.map((e) => e.profile_id))).toEqual(new Set(page.profile_ids));
        expect(page.events.filter((e) => e.type === 'profile_merged_in')).toHaveLength(2);
        expect(page.events.filter((e) => e.type === 'merged_away')).toHaveLength(2);
        expect(page.next_after).toBeNull();
      });

      it('pages by log position without gaps or repeats, and a merged-away id reads its survivor', async () => {
        const survivor = scenario.survivors.alice;
        const whole = (await readProfileHistory(fixture.store, scenario.tenant, survivor, { pageSize: 1000 }))!;
        const pages = [];
        let after: LogPosition | undefined;
        do {
          const page = (await readProfileHistory(fixture.store, scenario.tenant, survivor, { pageSize: 4, after }))!;
          pages.push(page);
          after = page.next_after ?? undefined;
        } while (after !== undefined && pages.length < 100);
        expect(pages.slice(0, -1).every((p) => p.events.length === 4)).toBe(true);
        expect(pages.flatMap((p) => p.events)).toEqual(whole.events);

        const merged = whole.profile_ids.find((id) => id !== survivor)!;
        expect(await readProfileHistory(fixture.store, scenario.tenant, merged, { pageSize: 1000 })).toEqual(whole);
        expect(await readProfileHistory(fixture.store, scenario.tenant, scenario.profileIds[scenario.profileIds.length - 1], { pageSize: 10 })).toBeNull();
        expect(await readProfileHistory(fixture.store, scenario.tenant, randomUUID(), { pageSize: 10 })).toBeNull();
      });
    });

    describe('replay', () => {
      it('at the head yields exactly the live profiles, in profile id order', async () => {
        const head = (await fixture.store.headPosition())!;
        const replay = await prepareReplay(fixture.store, { kind: 'position', position: head }, { tenants: [scenario.tenant], concurrency: 3 });
        expect(replay.streams).toBe(scenario.profileIds.length);
        const profiles = [];
        let folded = 0;
        for await (const p of replay.profiles((n) => (folded = n))) profiles.push(p);
        expect(folded).toBe(scenario.profileIds.length);
        const expected = (await live.list(scenario.tenant, { filters: [], pageSize: 100 })).items.map((d) => toUnifiedProfile(scenario.tenant, d.state));
        expect(profiles.map((p) => p.profile)).toEqual(expected);
        expect(profiles.every((p) => p.tenant === scenario.tenant)).toBe(true);
      });

      it('at an earlier point yields every profile as it was then', async () => {
        const events = await tenantEvents(fixture.store, scenario.tenant);
        const middle = events[Math.floor(events.length * 0.7)].position;
        const replay = await prepareReplay(fixture.store, { kind: 'position', position: middle }, { tenants: [scenario.tenant] });
        const profiles = [];
        for await (const p of replay.profiles()) profiles.push(p.profile);
        const expected = [];
        for (const id of [...scenario.profileIds].sort()) {
          const then = await readProfileAsOf(fixture.store, scenario.tenant, id, { kind: 'position', position: middle });
          if (then !== null && then.state.profile_id === id) expected.push(toUnifiedProfile(scenario.tenant, then.state));
        }
        expect(profiles).toEqual(expected);
        expect(profiles.length).toBeGreaterThan(0);
        expect(replay.position).toBeLessThanOrEqual(middle);
      });
    });

    describe('digest and rebuild', () => {
      it('a rebuild into a new generation reproduces the live digest, then serves', async () => {
        const tenants = [scenario.tenant];
        const before = await digestReadModel(live, { tenants });
        expect(before.profiles).toBe(3);
        expect(before.redirects).toBe(3);

        const result = await rebuildReadModel({ store: fixture.store, generations: fixture.generations, checkpointName: CHECKPOINT, batchSize: 7 });
        expect(result).toMatchObject({ switched: true, resumed: false, previous: 'default' });
        const state = await fixture.generations.state();
        expect(state).toMatchObject({ active: result.generation, building: null, previous: 'default' });
        const rebuilt = (await fixture.generations.open(result.generation)).readModel;
        expect(await digestReadModel(rebuilt, { tenants })).toEqual(before);
        expect(await rebuilt.checkpoint(CHECKPOINT)).toBeGreaterThanOrEqual(result.position!);
      });

      it('the digest changes with what readers would see', async () => {
        const tenants = [scenario.tenant];
        const before = await digestReadModel(live, { tenants });
        const bob = scenario.survivors.bob;
        await appendToProfile(fixture.store, profileStream(scenario.tenant, bob), [{ type: 'UserStamped', data: { profile_id: bob, user_id: 'bob-2', at: '2026-02-01T00:00:00.000Z' } }], scenario.tenant);
        await project(fixture.store, live);
        expect((await digestReadModel(live, { tenants })).digest).not.toBe(before.digest);
      });

      it('an interrupted rebuild resumes from its own checkpoint, and readers stay on the live generation until it switched', async () => {
        const tenants = [scenario.tenant];
        const liveDigest = await digestReadModel(live, { tenants });
        const abort = new AbortController();
        let seen = 0;
        await expect(
          rebuildReadModel({
            store: fixture.store,
            generations: fixture.generations,
            checkpointName: CHECKPOINT,
            batchSize: 5,
            signal: abort.signal,
            onProgress: () => {
              if (++seen === 2) abort.abort();
            },
          }),
        ).rejects.toThrow(/cancelled/);
        const interrupted = await fixture.generations.state();
        expect(interrupted.active).toBe('default');
        expect(interrupted.building).not.toBeNull();
        const partial = await (await fixture.generations.open(interrupted.building!)).readModel.checkpoint(CHECKPOINT);
        expect(partial).not.toBeNull();

        const resumed = await rebuildReadModel({ store: fixture.store, generations: fixture.generations, checkpointName: CHECKPOINT, batchSize: 5 });
        expect(resumed).toMatchObject({ resumed: true, generation: interrupted.building, startPosition: partial });
        expect(await digestReadModel((await fixture.generations.open(resumed.generation)).readModel, { tenants })).toEqual(liveDigest);
      });

      it('fills every partition of the new generation under their leases, and refuses while another holds them', async () => {
        const tenants = [scenario.tenant];
        const liveDigest = await digestReadModel(live, { tenants });
        const leases = new InMemoryLeaseStore();
        // A rebuild that crashed holds the partitions of the generation it was filling.
        const { id } = await fixture.generations.beginBuild({ fresh: true });
        const crashed = [];
        for (let partition = 0; partition < 4; partition++) {
          const name = partitionLeaseName(projectionLeaseGroup(CHECKPOINT, id), partition, 4);
          crashed.push((await leases.acquire({ name, holder: 'crashed', ttlMs: 60_000, now: Date.now() }))!);
        }
        const options = { store: fixture.store, generations: fixture.generations, checkpointName: CHECKPOINT, batchSize: 5, partitions: 4 };
        await expect(rebuildReadModel({ ...options, leases: { store: leases, holder: 'second', ttlMs: 200, intervalMs: 50 } })).rejects.toThrow(
          /held by another process/,
        );
        expect((await fixture.generations.state()).active).toBe('default');

        // Once they are free (released, or expired), the rebuild resumes that generation and fills every partition.
        for (const lease of crashed) await leases.release(lease);
        const result = await rebuildReadModel({ ...options, leases: { store: leases, holder: 'third', ttlMs: 200, intervalMs: 50 } });
        expect(result).toMatchObject({ generation: id, resumed: true, switched: true });
        const rebuilt = (await fixture.generations.open(id)).readModel;
        for (const name of partitionCheckpoints(CHECKPOINT, 4)) expect(await rebuilt.checkpoint(name)).toBeGreaterThanOrEqual(result.position!);
        expect(await digestReadModel(rebuilt, { tenants })).toEqual(liveDigest);
        // Done, it let the leases go: the live projectors of the new generation take them at once, with greater tokens.
        const after = await leases.list(`${projectionLeaseGroup(CHECKPOINT, id)}/`);
        expect(after.filter((lease) => !lease.name.includes('/members/')).every((lease) => lease.holder === null && lease.token >= 2)).toBe(true);
      });

      it('builds without switching when told, and switches only by compare-and-set', async () => {
        const built = await rebuildReadModel({ store: fixture.store, generations: fixture.generations, checkpointName: CHECKPOINT, switchOver: false, digest: true });
        expect(built.switched).toBe(false);
        expect(built.digest?.profiles).toBeGreaterThanOrEqual(3);
        expect(await fixture.generations.state()).toMatchObject({ active: 'default', building: built.generation });
        await expect(fixture.generations.activate(built.generation, 'g999', new Date().toISOString())).rejects.toBeInstanceOf(GenerationConflictError);
        // A fresh build abandons the unswitched one.
        const fresh = await rebuildReadModel({ store: fixture.store, generations: fixture.generations, checkpointName: CHECKPOINT, fresh: true });
        expect(fresh.generation).not.toBe(built.generation);
        expect(fresh).toMatchObject({ resumed: false, switched: true });
        expect((await fixture.generations.state()).active).toBe(fresh.generation);
      });
    });

    (options.poison ? describe : describe.skip)('dead letters', () => {
      const poisonEvents = (tenant: string) => [
        { id: randomUUID(), type: 'ProfileTeleported', data: { profile_id: 'x' }, metadata: { schema_version: 1, tenant } },
        { id: randomUUID(), type: 'AttributePatched', data: { writes: [] }, metadata: { schema_version: 99, tenant } },
        { id: randomUUID(), type: 'AttributePatched', data: { profile_id: 'x', at: 'now' }, metadata: { schema_version: 1, tenant } },
      ];

      it('sets a poison event aside with its position and error, and carries on', async () => {
        const { tenant } = scenario;
        const bob = scenario.survivors.bob;
        const stream = profileStream(tenant, bob);
        const poisoned = await fixture.store.append(stream, poisonEvents(tenant), 'any');
        // The command side cannot fold the stream any more; a later write goes to a fresh profile.
        const other = scenario.survivors.alice;
        const later = await appendToProfile(fixture.store, profileStream(tenant, other), [{ type: 'UserStamped', data: { profile_id: other, user_id: 'alice-2', at: '2026-02-01T00:00:00.000Z' } }], tenant);

        const handle = await fixture.generations.open((await fixture.generations.state()).active);
        const projector = new ProfileProjector(fixture.store, handle.readModel, {
          name: CHECKPOINT,
          batchSize: 50,
          idleFlushMs: 1,
          deadLetters: handle.deadLetters,
        });
        await projector.start();
        expect(await projector.waitFor(later.position, 30_000)).toBe(true);
        await projector.stop();

        // It went on past them: the write after the poison is in the read model.
        expect((await handle.readModel.get(tenant, other))!.state.user_id).toBe('alice-2');
        const letters = await handle.deadLetters.list({ after: poisoned.position - 3, limit: 10 });
        const ours = letters.filter((l) => l.stream === stream);
        expect(ours.map((l) => l.type)).toEqual(['ProfileTeleported', 'AttributePatched', 'AttributePatched']);
        expect(ours.map((l) => l.position)).toEqual([...ours.map((l) => l.position)].sort((a, b) => a - b));
        expect(ours[ours.length - 1].position).toBe(poisoned.position);
        expect(ours[0].error).toMatch(/unknown event type/);
        expect(ours[1].error).toMatch(/schema_version 99/);
        expect(ours[0]).toMatchObject({ projector: CHECKPOINT, stream, revision: expect.any(Number), event_id: expect.any(String) });
        const status = projector.getStatus();
        expect(status.deadLetters).toBeGreaterThanOrEqual(3);
        expect(status.lastDeadLetter?.position).toBe(poisoned.position);
        expect(status.lastError).toContain(stream);
        expect(status.halted).toBe(false);

        // Bob's profile stays as it was before the poison; as-of skips the same events.
        const head = (await fixture.store.headPosition())!;
        const asOf = await readProfileAsOf(fixture.store, tenant, bob, { kind: 'position', position: head });
        expect(toUnifiedProfile(tenant, asOf!.state)).toEqual(await liveProfile(handle.readModel, tenant, bob));

        // A rebuild meets them again, records them in its own generation and reproduces the digest.
        const rebuilt = await rebuildReadModel({ store: fixture.store, generations: fixture.generations, checkpointName: CHECKPOINT });
        const fresh = await fixture.generations.open(rebuilt.generation);
        expect((await fresh.deadLetters.list({ after: poisoned.position - 3, limit: 10 })).filter((l) => l.stream === stream)).toHaveLength(3);
        expect(await digestReadModel(fresh.readModel, { tenants: [tenant] })).toEqual(await digestReadModel(handle.readModel, { tenants: [tenant] }));
      });

      it('halts at a poison event when told to, with everything before it in and the checkpoint just before it', async () => {
        const { tenant } = scenario;
        const stream = profileStream(tenant, scenario.survivors.bob);
        const headBefore = (await fixture.store.headPosition())!;
        const poisoned = await fixture.store.append(stream, poisonEvents(tenant).slice(0, 1), 'any');
        const handle = await fixture.generations.open((await fixture.generations.state()).active);
        const name = uniqueCheckpoint('halting');
        const projector = new ProfileProjector(fixture.store, handle.readModel, {
          name,
          batchSize: 10_000,
          idleFlushMs: 1,
          deadLetters: handle.deadLetters,
          onPoison: 'halt',
        });
        await projector.start();
        for (let i = 0; i < 500 && projector.getStatus().running; i++) await new Promise((r) => setTimeout(r, 10));
        const status = projector.getStatus();
        expect(status).toMatchObject({ running: false, halted: true });
        expect(status.lastError).toContain('halted');
        await projector.stop();
        const checkpoint = await handle.readModel.checkpoint(name);
        // Everything before it is in: the checkpoint is the event just before the poison.
        expect(checkpoint).toBe(headBefore);
        expect(headBefore).toBeLessThan(poisoned.position);
        expect((await handle.deadLetters.last())?.position).toBe(poisoned.position);
      });
    });
  });
}
