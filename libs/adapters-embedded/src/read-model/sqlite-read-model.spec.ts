import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileDocument } from '@cds/application';
import { aProfile, describeReadModelContract, scanDirectory } from '@cds/contract-tests';
import { openSqlite } from './sqlite-database';
import { SqliteProfileReadModel } from './sqlite-read-model';

describeReadModelContract('SQLite', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'cds-sqlite-rm-'));
  const readModel = new SqliteProfileReadModel(openSqlite(join(directory, 'read-model.db')));
  return {
    readModel,
    cleanup: async () => {
      await readModel.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describe('SqliteProfileReadModel on disk', () => {
  let directory: string;
  const file = () => join(directory, 'read-model.db');
  const open = () => new SqliteProfileReadModel(openSqlite(file()));
  /** Every byte SQLite keeps for the database: the file, its WAL and shared memory. */
  const storedBytes = () =>
    Buffer.concat(['', '-wal', '-shm'].map((suffix) => {
      try {
        return readFileSync(`${file()}${suffix}`);
      } catch {
        return Buffer.alloc(0);
      }
    }));

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cds-sqlite-rm-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps documents, the attribute index and checkpoints across close and reopen', async () => {
    const first = open();
    const ann = aProfile('acme', 'ann').at(3).identity('email', 'ann@example.com').build();
    await first.applyBatch([ann, aProfile('acme', 'bob').at(4).build()], { name: 'live', expected: null, next: 4 });
    await first.close();

    const second = open();
    expect(await second.checkpoint('live')).toBe(4);
    expect(await second.get('acme', 'ann')).toStrictEqual(ann);
    const listed = await second.list('acme', { filters: [{ path: 'identity_attributes.email', operator: 'eq', value: 'ann@example.com' }], pageSize: 10 });
    expect(listed.items).toStrictEqual([ann]);
    await second.close();
  });

  it('leaves no byte of an erased profile in the database file or its WAL', async () => {
    const readModel = open();
    const secret = 'erase-me-7f3a9c@example.com';
    const doc = (position: number) =>
      aProfile('acme', 'ann').at(position).identity('email', secret).trait('notes', `${secret} `.repeat(300)).build();
    await readModel.applyBatch([doc(1), aProfile('acme', 'bob').at(1).trait('kept', 'still here').build()], { name: 'live', expected: null, next: 1 });
    await readModel.applyBatch([doc(2)], { name: 'live', expected: 1, next: 2 });
    expect(storedBytes().includes(secret)).toBe(true);

    await readModel.applyBatch([aProfile('acme', 'ann').at(3).deleted().build()], { name: 'live', expected: 2, next: 3 });

    // In any encoding, in the database file, its WAL or its shared memory.
    expect(await scanDirectory(directory, [secret])).toEqual([]);
    expect(storedBytes().includes('still here')).toBe(true);
    expect((await readModel.get('acme', 'ann'))?.state.status).toBe('deleted');
    await readModel.close();
  });

  it('rolls back the documents of a batch whose checkpoint move is refused', async () => {
    const readModel = open();
    await readModel.applyBatch([], { name: 'live', expected: null, next: 5 });
    const late: ProfileDocument = aProfile('acme', 'late').at(9).build();
    await expect(readModel.applyBatch([late], { name: 'live', expected: 4, next: 9 })).rejects.toMatchObject({ actual: 5 });
    expect(await readModel.get('acme', 'late')).toBeNull();
    await readModel.close();
  });

  it('keeps the entries of an indexed path through every kind of change, as a fresh index would have them', async () => {
    const versions = (position: number) => [
      aProfile('acme', 'ann').at(position).trait('tags', position === 1 ? ['a', 'b'] : ['b', 'c', 'c']).trait('tier', 'gold').build(),
      aProfile('acme', 'bob').at(position).trait('tags', ['a']).trait('tier', position === 1 ? 'silver' : 'gold').build(),
      position === 1 ? aProfile('acme', 'cyd').at(1).trait('tags', ['x']).build() : aProfile('acme', 'cyd').at(2).merged('ann').trait('tags', ['x']).build(),
      position === 1 ? aProfile('acme', 'dee').at(1).trait('tags', ['y']).build() : aProfile('acme', 'dee').at(2).deleted().build(),
      aProfile('acme', 'eve').at(position).trait('tags', position === 1 ? 'alone' : ['a', 'alone']).build(),
    ];
    const byTag = (tag: string) => ({ filters: [{ path: 'traits.tags', operator: 'eq' as const, value: tag }], pageSize: 10 });
    const entries = (db: ReturnType<typeof openSqlite>) => db.prepare("SELECT kind, value, profile_id FROM attribute_values WHERE path = 'traits.tags' ORDER BY 1, 2, 3").all();

    // Indexed first, then changed: the writes keep the entries.
    const maintainedDb = openSqlite(file());
    const maintained = new SqliteProfileReadModel(maintainedDb);
    await maintained.applyBatch(versions(1), { name: 'live', expected: null, next: 1 });
    expect((await maintained.list('acme', byTag('a'))).items.map((d) => d.profile_id)).toEqual(['ann', 'bob']);
    await maintained.applyBatch(versions(2), { name: 'live', expected: 1, next: 2 });
    expect((await maintained.list('acme', byTag('a'))).items.map((d) => d.profile_id)).toEqual(['bob', 'eve']);
    expect((await maintained.list('acme', byTag('c'))).items.map((d) => d.profile_id)).toEqual(['ann']);

    // Changed first, then indexed by the query.
    const freshDb = openSqlite(join(directory, 'fresh.db'));
    const fresh = new SqliteProfileReadModel(freshDb);
    await fresh.applyBatch([...versions(1), ...versions(2)], { name: 'live', expected: null, next: 2 });
    expect((await fresh.list('acme', byTag('a'))).items.map((d) => d.profile_id)).toEqual(['bob', 'eve']);

    expect(entries(maintainedDb)).toEqual(entries(freshDb));
    expect(entries(maintainedDb)).toEqual([
      { kind: 's', value: 'a', profile_id: 'bob' },
      { kind: 's', value: 'a', profile_id: 'eve' },
      { kind: 's', value: 'alone', profile_id: 'eve' },
      { kind: 's', value: 'b', profile_id: 'ann' },
      { kind: 's', value: 'c', profile_id: 'ann' },
    ]);
    await maintained.close();
    await fresh.close();
  });

  it('keeps indexing a path across a reopen', async () => {
    const first = open();
    await first.applyBatch([aProfile('acme', 'ann').trait('tier', 'gold').build()], { name: 'live', expected: null, next: 1 });
    const gold = { filters: [{ path: 'traits.tier', operator: 'sw' as const, value: 'go' }], pageSize: 10 };
    expect((await first.list('acme', gold)).items.map((d) => d.profile_id)).toEqual(['ann']);
    await first.close();

    const second = open();
    await second.applyBatch([aProfile('acme', 'bob').trait('tier', 'golden').build(), aProfile('acme', 'ann').at(2).trait('tier', 'tin').build()], {
      name: 'live',
      expected: 1,
      next: 2,
    });
    expect((await second.list('acme', gold)).items.map((d) => d.profile_id)).toEqual(['bob']);
    await second.close();
  });
});
