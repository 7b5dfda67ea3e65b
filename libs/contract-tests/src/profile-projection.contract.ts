import {
  CheckpointUpdate,
  EventStore,
  InMemoryLeaseStore,
  LeaseStore,
  partitionCheckpoints,
  partitionOf,
  ProfileDocument,
  ProfileProjector,
  ProfileReadModel,
  ProfileStreams,
  profileStream,
} from '@cds/application';
import { uniqueCheckpoint, uniqueTenant } from './read-model.builder';
import { writeProfileScenario } from './profile-projection.scenario';

export interface ProjectionFixture {
  store: EventStore;
  readModel: ProfileReadModel;
  /** A second, empty read model (a fresh collection) for rebuild comparisons. */
  freshReadModel(): Promise<ProfileReadModel>;
  cleanup(): Promise<void>;
}

async function project(store: EventStore, readModel: ProfileReadModel, name: string, partitions: number, batchSize = 50): Promise<void> {
  const projector = new ProfileProjector(store, readModel, { name, batchSize, idleFlushMs: 1, partitions });
  await projector.start();
  const head = await store.headPosition();
  if (head !== null && !(await projector.waitFor(head, 20_000))) throw new Error('projector did not catch up');
  await projector.stop();
}

async function documents(readModel: ProfileReadModel, tenant: string, ids: string[]): Promise<Map<string, ProfileDocument>> {
  return readModel.getMany(tenant, ids);
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The projector over a log written by the real command side: the read model equals the
 * command side's fold, applying the log twice changes nothing, and a crash between writing
 * documents and moving the checkpoint is harmless; in one partition and in several, by one
 * processor or by two sharing the partitions through leases.
 */
export function describeProfileProjectionContract(name: string, open: () => Promise<ProjectionFixture>): void {
  describe.each([1, 4])(`profile projection: ${name}, %i partition(s)`, (partitions) => {
    let fixture: ProjectionFixture;
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(() => fixture.cleanup());

    it('folds every profile exactly as the command side does', async () => {
      const scenario = await writeProfileScenario(fixture.store, uniqueTenant('proj'));
      await project(fixture.store, fixture.readModel, uniqueCheckpoint(), partitions);
      const docs = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);
      const profiles = new ProfileStreams(fixture.store);
      for (const id of scenario.profileIds) {
        const loaded = await profiles.load(scenario.tenant, id);
        expect(docs.get(id)?.state).toEqual(loaded.state.profile);
      }
      const alice = docs.get(scenario.survivors.alice)!.state;
      expect(alice.attributes.traits.visits).toBe(scenario.visits.alice);
      expect(alice.merged_from).toHaveLength(2);
    });

    it('is idempotent when run twice over the same log', async () => {
      const scenario = await writeProfileScenario(fixture.store, uniqueTenant('twice'));
      await project(fixture.store, fixture.readModel, uniqueCheckpoint('first'), partitions);
      const once = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);
      // A second projector replays the second half of the log onto the same documents (a replay
      // from the start would mask double-applied events: ProfileCreated starts every fold afresh).
      const head = (await fixture.store.headPosition())!;
      const events = await fixture.store.readAll({ maxCount: 100_000 });
      const middle = events[Math.floor(events.length / 2)].position;
      const second = uniqueCheckpoint('second');
      for (const checkpoint of partitionCheckpoints(second, partitions)) {
        await fixture.readModel.applyBatch([], { name: checkpoint, expected: null, next: middle });
      }
      await project(fixture.store, fixture.readModel, second, partitions, 7);
      for (const checkpoint of partitionCheckpoints(second, partitions)) expect(await fixture.readModel.checkpoint(checkpoint)).toBe(head);
      const twice = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);
      expect(twice).toEqual(once);
      expect(twice.get(scenario.survivors.bob)!.state.attributes.traits.visits).toBe(scenario.visits.bob);
    });

    it('resumes after a crash between writing documents and moving the checkpoint', async () => {
      const scenario = await writeProfileScenario(fixture.store, uniqueTenant('crash'));
      const checkpoint = uniqueCheckpoint('crashy');
      // Documents of the first batches land, then the process dies before its checkpoint moves:
      // from then on, it writes nothing.
      let batches = 0;
      const crashing: ProfileReadModel = Object.create(fixture.readModel, {
        applyBatch: {
          value: async (docs: ProfileDocument[], update: CheckpointUpdate) => {
            batches += 1;
            if (batches === 3) await fixture.readModel.applyBatch(docs, { name: uniqueCheckpoint('lost'), expected: null, next: update.next });
            if (batches >= 3) throw new Error('crash before the checkpoint moved');
            return fixture.readModel.applyBatch(docs, update);
          },
        },
      });
      const projector = new ProfileProjector(fixture.store, crashing, { name: checkpoint, batchSize: 5, idleFlushMs: 1, partitions });
      await projector.start();
      await until(() => projector.getStatus().lastError?.includes('crash') ?? false);
      expect(projector.getStatus()).toMatchObject({ running: true, failures: expect.any(Number) });
      await projector.stop();

      await project(fixture.store, fixture.readModel, checkpoint, partitions);
      const resumed = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);

      const clean = await fixture.freshReadModel();
      await project(fixture.store, clean, uniqueCheckpoint('clean'), partitions);
      expect(resumed).toEqual(await documents(clean, scenario.tenant, scenario.profileIds));
      expect(resumed.get(scenario.survivors.alice)!.state.attributes.traits.visits).toBe(scenario.visits.alice);
    });

    (partitions > 1 ? it : it.skip)('starts a partition taken while following the log from that partition’s own checkpoint', async () => {
      const scenario = await writeProfileScenario(fixture.store, uniqueTenant('late'));
      // The second partition lease is granted only once the processor is busy with the first.
      const leases = new InMemoryLeaseStore();
      let granted = 0;
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const gated: LeaseStore = {
        acquire: async (request) => {
          if (!request.name.includes('/members/') && ++granted === 2) await gate;
          return leases.acquire(request);
        },
        renew: (lease, ttlMs, now) => leases.renew(lease, ttlMs, now),
        release: (lease) => leases.release(lease),
        list: (prefix) => leases.list(prefix),
      };
      const projector = new ProfileProjector(fixture.store, fixture.readModel, {
        name: uniqueCheckpoint('late'),
        batchSize: 5,
        idleFlushMs: 1,
        partitions,
        leases: { store: gated, holder: 'late', ttlMs: 60_000, intervalMs: 20_000 },
      });
      const starting = projector.start();
      // The first partition's loop has written (its own events, or only its checkpoint when it owns none).
      await until(() => projector.getStatus().batchesWritten > 0);
      open();
      await starting;
      await until(() => projector.getStatus().partitions.held.length === partitions);
      const head = (await fixture.store.headPosition())!;
      expect(await projector.waitFor(head, 20_000)).toBe(true);
      await projector.stop();
      const docs = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);
      const profiles = new ProfileStreams(fixture.store);
      for (const id of scenario.profileIds) expect(docs.get(id)?.state).toEqual((await profiles.load(scenario.tenant, id)).state.profile);
    });

    it('stops writing the moment its leases are taken over, and stands by', async () => {
      await writeProfileScenario(fixture.store, uniqueTenant('taken'));
      const leases = new InMemoryLeaseStore();
      let takenOver = false;
      // Once taken over, renewals fail (the lease has another holder) and nothing can be taken back.
      const contested: LeaseStore = {
        acquire: (request) => (takenOver && !request.name.includes('/members/') ? Promise.resolve(null) : leases.acquire(request)),
        renew: (lease, ttlMs, now) => (takenOver ? Promise.resolve(null) : leases.renew(lease, ttlMs, now)),
        release: (lease) => leases.release(lease),
        list: (prefix) => leases.list(prefix),
      };
      let writesAfter = 0;
      const counting: ProfileReadModel = Object.create(fixture.readModel, {
        applyBatch: {
          value: (docs: ProfileDocument[], update: CheckpointUpdate) => {
            if (takenOver) writesAfter += 1;
            return fixture.readModel.applyBatch(docs, update);
          },
        },
      });
      const projector = new ProfileProjector(fixture.store, counting, {
        name: uniqueCheckpoint('taken'),
        batchSize: 5,
        idleFlushMs: 1,
        partitions,
        leases: { store: contested, holder: 'loser', ttlMs: 300, intervalMs: 100 },
      });
      await projector.start();
      expect(await projector.waitFor((await fixture.store.headPosition())!, 20_000)).toBe(true);
      takenOver = true;
      await until(() => projector.getStatus().partitions.held.length === 0);
      const stoppedAfter = writesAfter;
      await writeProfileScenario(fixture.store, uniqueTenant('after'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(writesAfter).toBe(stoppedAfter);
      expect(projector.getStatus()).toMatchObject({ running: true, standingBy: true });
      await projector.stop();
    });

    it('writes each profile from its own partition only, also when two processors share the partitions', async () => {
      const scenario = await writeProfileScenario(fixture.store, uniqueTenant('shared'));
      const checkpoint = uniqueCheckpoint('shared');
      const leases = new InMemoryLeaseStore();
      const writtenBy = new Map<string, Set<string>>();
      const spying = (): ProfileReadModel =>
        Object.create(fixture.readModel, {
          applyBatch: {
            value: async (docs: ProfileDocument[], update: CheckpointUpdate) => {
              for (const doc of docs) {
                const expected = partitionCheckpoints(checkpoint, partitions)[partitionOf(profileStream(doc.tenant, doc.profile_id), partitions)];
                if (update.name !== expected) throw new Error(`${doc.profile_id} written under ${update.name}, not ${expected}`);
                writtenBy.set(doc.profile_id, (writtenBy.get(doc.profile_id) ?? new Set()).add(update.name));
              }
              return fixture.readModel.applyBatch(docs, update);
            },
          },
        });
      const options = (holder: string) => ({
        name: checkpoint,
        batchSize: 4,
        idleFlushMs: 1,
        partitions,
        leases: { store: leases, holder, ttlMs: 400, intervalMs: 100 },
      });
      const a = new ProfileProjector(fixture.store, spying(), options('a'));
      const b = new ProfileProjector(fixture.store, spying(), options('b'));
      await Promise.all([a.start(), b.start()]);
      const head = (await fixture.store.headPosition())!;
      expect(await a.waitFor(head, 20_000)).toBe(true);
      const held = [a, b].map((p) => p.getStatus().partitions.held.length);
      expect(held.reduce((x, y) => x + y)).toBeLessThanOrEqual(partitions);
      if (partitions === 1) expect([a, b].some((p) => p.getStatus().standingBy)).toBe(true);
      await Promise.all([a.stop(), b.stop()]);
      expect([a, b].every((p) => p.getStatus().lastError === null)).toBe(true);

      const docs = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);
      const profiles = new ProfileStreams(fixture.store);
      for (const id of scenario.profileIds) {
        expect(docs.get(id)?.state).toEqual((await profiles.load(scenario.tenant, id)).state.profile);
        expect(writtenBy.get(id)?.size).toBe(1);
      }
    });
  });
}
