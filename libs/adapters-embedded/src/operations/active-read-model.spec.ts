import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActiveReadModel, followGenerations, ProfileProjector, profileStream, rebuildReadModel } from '@cds/application';
import { writeProfileScenario } from '@cds/contract-tests';
import { FileEventStore } from '../event-log';
import { SqliteReadModelGenerations } from './sqlite-generations';

describe('ActiveReadModel and a live projector following it', () => {
  let directory: string;
  let store: FileEventStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'cds-active-'));
    store = await FileEventStore.open({ directory: join(directory, 'log'), fsync: false });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves the active generation until a refresh sees the switch; the projector stops before and resumes in the new one', async () => {
    const generations = SqliteReadModelGenerations.open(join(directory, 'read-model'));
    const readers = await ActiveReadModel.open(generations);
    const projector = new ProfileProjector(store, readers, { name: 'live', batchSize: 20, idleFlushMs: 1, deadLetters: readers.deadLetters });
    const order: string[] = [];
    readers.onSwitch({ before: (from, to) => void order.push(`before ${from.id}->${to.id}`), after: (to) => void order.push(`after ${to.id}`) });
    followGenerations(readers, projector);
    await projector.start();
    const { tenant, survivors } = await writeProfileScenario(store, 'acme');
    expect(await projector.waitFor((await store.headPosition())!, 10_000)).toBe(true);

    const result = await rebuildReadModel({ store, generations, checkpointName: 'live' });
    // Switched in the pointer, not yet for readers: they move at their next look.
    expect(readers.current().id).toBe('default');
    expect((await readers.get(tenant, survivors.alice))?.state.status).toBe('active');

    await readers.refresh();
    expect(order).toEqual([`before default->${result.generation}`, `after ${result.generation}`]);
    expect(readers.current().id).toBe(result.generation);
    expect(projector.getStatus().running).toBe(true);

    // The projector continues from the new generation's checkpoint: a poison event and a write after it land there.
    const poisoned = await store.append(
      profileStream(tenant, survivors.bob),
      [{ id: randomUUID(), type: 'Nonsense', data: {}, metadata: { schema_version: 1, tenant } }],
      'any',
    );
    expect(await projector.waitFor(poisoned.position, 10_000)).toBe(true);
    const handle = await generations.open(result.generation);
    expect(await handle.readModel.checkpoint('live')).toBe(poisoned.position);
    expect((await handle.deadLetters.last())?.position).toBe(poisoned.position);
    expect(projector.getStatus()).toMatchObject({ deadLetters: 1, halted: false });
    await expect(generations.open('default')).rejects.toThrow(/neither active nor being built/);

    await projector.stop();
    await readers.close();
  });

  it('follows the pointer on a timer', async () => {
    const generations = SqliteReadModelGenerations.open(join(directory, 'read-model'));
    const readers = await ActiveReadModel.open(generations);
    readers.follow(20);
    const built = await rebuildReadModel({ store, generations, checkpointName: 'live' });
    for (let i = 0; i < 100 && readers.current().id !== built.generation; i++) await new Promise((r) => setTimeout(r, 10));
    expect(readers.current().id).toBe(built.generation);
    await readers.close();
  });
});
