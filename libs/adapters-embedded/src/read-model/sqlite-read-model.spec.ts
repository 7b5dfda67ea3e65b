import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileDocument } from '@cds/application';
import { aProfile, describeReadModelContract } from '@cds/contract-tests';
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

// The contract again, with the attribute index left to the end as a rebuild does, then built.
describeReadModelContract('SQLite, attribute index built after the writes', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'cds-sqlite-rm-'));
  const readModel = new SqliteProfileReadModel(openSqlite(join(directory, 'read-model.db')), { indexing: 'deferred' });
  const list = readModel.list.bind(readModel);
  readModel.list = async (tenant, query) => {
    await readModel.buildAttributeIndex();
    return list(tenant, query);
  };
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
  const open = (options?: ConstructorParameters<typeof SqliteProfileReadModel>[1]) => new SqliteProfileReadModel(openSqlite(file()), options);
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

    const bytes = storedBytes();
    expect(bytes.includes(secret)).toBe(false);
    expect(bytes.includes('still here')).toBe(true);
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

  it('remembers a deferred attribute index across a reopen and lists correctly before and after building it', async () => {
    const building = open({ indexing: 'deferred' });
    await building.applyBatch([aProfile('acme', 'ann').trait('tier', 'gold').build(), aProfile('acme', 'bob').trait('tier', 'silver').build()], {
      name: 'rebuild',
      expected: null,
      next: 2,
    });
    await building.close();

    const resumed = open({ indexing: 'maintained' });
    const gold = { filters: [{ path: 'traits.tier', operator: 'sw' as const, value: 'go' }], pageSize: 10 };
    expect((await resumed.list('acme', gold)).items.map((d) => d.profile_id)).toEqual(['ann']);
    await resumed.buildAttributeIndex();
    await resumed.applyBatch([aProfile('acme', 'cyd').trait('tier', 'golden').build()], { name: 'rebuild', expected: 2, next: 3 });
    expect((await resumed.list('acme', gold)).items.map((d) => d.profile_id)).toEqual(['ann', 'cyd']);
    await resumed.close();
  });
});
