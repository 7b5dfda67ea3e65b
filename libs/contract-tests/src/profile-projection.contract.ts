import {
  CheckpointUpdate,
  EventStore,
  ProfileDocument,
  ProfileProjector,
  ProfileReadModel,
  ProfileStreams,
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

async function project(store: EventStore, readModel: ProfileReadModel, name: string, batchSize = 50): Promise<void> {
  const projector = new ProfileProjector(store, readModel, { name, batchSize, idleFlushMs: 1 });
  await projector.start();
  const head = await store.headPosition();
  if (head !== null && !(await projector.waitFor(head, 20_000))) throw new Error('projector did not catch up');
  await projector.stop();
}

async function documents(readModel: ProfileReadModel, tenant: string, ids: string[]): Promise<Map<string, ProfileDocument>> {
  return readModel.getMany(tenant, ids);
}

/**
 * The projector over a log written by the real command side: the read model equals the
 * command side's fold, applying the log twice changes nothing, and a crash between writing
 * documents and moving the checkpoint is harmless.
 */
export function describeProfileProjectionContract(name: string, open: () => Promise<ProjectionFixture>): void {
  describe(`profile projection: ${name}`, () => {
    let fixture: ProjectionFixture;
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(() => fixture.cleanup());

    it('folds every profile exactly as the command side does', async () => {
      const scenario = await writeProfileScenario(fixture.store, uniqueTenant('proj'));
      await project(fixture.store, fixture.readModel, uniqueCheckpoint());
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
      await project(fixture.store, fixture.readModel, uniqueCheckpoint('first'));
      const once = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);
      // A second projector replays the second half of the log onto the same documents (a replay
      // from the start would mask double-applied events: ProfileCreated starts every fold afresh).
      const head = (await fixture.store.headPosition())!;
      const events = await fixture.store.readAll({ maxCount: 100_000 });
      const middle = events[Math.floor(events.length / 2)].position;
      const second = uniqueCheckpoint('second');
      await fixture.readModel.applyBatch([], { name: second, expected: null, next: middle });
      await project(fixture.store, fixture.readModel, second, 7);
      expect(await fixture.readModel.checkpoint(second)).toBe(head);
      const twice = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);
      expect(twice).toEqual(once);
      expect(twice.get(scenario.survivors.bob)!.state.attributes.traits.visits).toBe(scenario.visits.bob);
    });

    it('resumes after a crash between writing documents and moving the checkpoint', async () => {
      const scenario = await writeProfileScenario(fixture.store, uniqueTenant('crash'));
      const checkpoint = uniqueCheckpoint('crashy');
      // Documents of the first batches land, then the process dies before its checkpoint moves.
      let batches = 0;
      const crashing: ProfileReadModel = Object.create(fixture.readModel, {
        applyBatch: {
          value: async (docs: ProfileDocument[], update: CheckpointUpdate) => {
            if (++batches === 3) {
              await fixture.readModel.applyBatch(docs, { name: uniqueCheckpoint('lost'), expected: null, next: update.next });
              throw new Error('crash before the checkpoint moved');
            }
            return fixture.readModel.applyBatch(docs, update);
          },
        },
      });
      const projector = new ProfileProjector(fixture.store, crashing, { name: checkpoint, batchSize: 5, idleFlushMs: 1 });
      await projector.start();
      for (let i = 0; i < 200 && projector.getStatus().running; i++) await new Promise((r) => setTimeout(r, 10));
      expect(projector.getStatus()).toMatchObject({ running: false, lastError: expect.stringContaining('crash') });
      await projector.stop();

      await project(fixture.store, fixture.readModel, checkpoint);
      const resumed = await documents(fixture.readModel, scenario.tenant, scenario.profileIds);

      const clean = await fixture.freshReadModel();
      await project(fixture.store, clean, uniqueCheckpoint('clean'));
      expect(resumed).toEqual(await documents(clean, scenario.tenant, scenario.profileIds));
      expect(resumed.get(scenario.survivors.alice)!.state.attributes.traits.visits).toBe(scenario.visits.alice);
    });
  });
}
