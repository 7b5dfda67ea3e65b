import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aProfile } from '@cds/contract-tests';
import { SqliteReadModelGenerations } from './sqlite-generations';

describe('SqliteReadModelGenerations on disk', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cds-generations-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('reopens on the active generation with its documents and checkpoint, and resumes an unfinished build', async () => {
    const first = SqliteReadModelGenerations.open(directory);
    const built = await first.beginBuild({ fresh: false });
    const handle = await first.open(built.id);
    await handle.readModel.applyBatch([aProfile('acme', 'ann').trait('tier', 'gold').build()], { name: 'live', expected: null, next: 7 });
    await first.activate(built.id, 'default', '2026-01-01T00:00:00.000Z');
    const unfinished = await first.beginBuild({ fresh: false });
    await first.close();

    const second = SqliteReadModelGenerations.open(directory);
    expect(await second.state()).toEqual({ active: built.id, building: unfinished.id, previous: 'default', switchedAt: '2026-01-01T00:00:00.000Z' });
    const active = await second.open(built.id);
    expect(await active.readModel.checkpoint('live')).toBe(7);
    const gold = await active.readModel.list('acme', { filters: [{ path: 'traits.tier', operator: 'eq', value: 'gold' }], pageSize: 5 });
    expect(gold.items.map((d) => d.profile_id)).toEqual(['ann']);
    expect(await second.beginBuild({ fresh: false })).toEqual({ id: unfinished.id, resumed: true });
    await second.close();
  });

  it('deletes the files of the generation switched away from and of an abandoned build', async () => {
    const generations = SqliteReadModelGenerations.open(directory);
    await generations.open('default');
    const abandoned = await generations.beginBuild({ fresh: false });
    await generations.open(abandoned.id);
    const next = await generations.beginBuild({ fresh: true });
    expect(existsSync(join(directory, `generation-${abandoned.id}.db`))).toBe(false);
    await generations.open(next.id);
    await generations.activate(next.id, 'default', new Date().toISOString());
    // Still open for readers that have not moved yet; gone once the generations close.
    expect(existsSync(join(directory, 'generation-default.db'))).toBe(true);
    await generations.close();
    expect(readdirSync(directory).filter((name) => name.startsWith('generation-')).sort()).toEqual([`generation-${next.id}.db`]);
  });
});
