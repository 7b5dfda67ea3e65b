import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { aProfile, describeReadModelContract, uniqueCheckpoint, uniqueTenant } from '@cds/contract-tests';
import { CheckpointConflictError, ProfileDocument } from '@cds/application';
import { connectMongo } from './mongo-connect';
import { MongoProfileReadModel } from './mongo-read-model';
import { InvalidMongoUrlError } from './mongo-url';

const url = process.env.CDS_TEST_MONGO_URL;
if (url === undefined || url === '') {
  throw new Error('CDS_TEST_MONGO_URL is not set: run the integration tests through the test-server runner');
}
const mongoUrl: string = url;
const dbName = `cds_read_model_${randomBytes(6).toString('hex')}`;
let client: MongoClient;
let indexed = false;

beforeAll(async () => {
  ({ client } = await connectMongo(mongoUrl, dbName));
});

afterAll(async () => {
  await client?.db(dbName).dropDatabase().catch(() => undefined);
  await client?.close();
});

describeReadModelContract('mongo', async () => {
  const readModel = new MongoProfileReadModel(client.db(dbName));
  if (!indexed) {
    await readModel.ensureIndexes();
    indexed = true;
  }
  // The client is shared by the suite and closed in afterAll.
  return { readModel, cleanup: () => readModel.close() };
});

describe('MongoProfileReadModel specifics', () => {
  it('creates the indexes the reads need, idempotently', async () => {
    const readModel = new MongoProfileReadModel(client.db(dbName), { collection: `idx_${randomBytes(4).toString('hex')}` });
    await readModel.ensureIndexes();
    await readModel.ensureIndexes();
    const keys = (await readModel.profiles.indexes()).map((index) => index.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        { _id: 1 },
        { tenant: 1, 'state.status': 1, profile_id: 1 },
        { tenant: 1, 'state.trackers': 1 },
        { tenant: 1, 'state.user_id': 1 },
        { _id: 1, position: 1 },
      ]),
    );
  });

  it('keeps collection generations apart', async () => {
    const suffix = randomBytes(4).toString('hex');
    const g1 = new MongoProfileReadModel(client.db(dbName), { collection: `p1_${suffix}`, checkpointCollection: `c1_${suffix}` });
    const g2 = new MongoProfileReadModel(client.db(dbName), { collection: `p2_${suffix}`, checkpointCollection: `c2_${suffix}` });
    const tenant = uniqueTenant();
    await g1.applyBatch([aProfile(tenant, 'a').at(5).build()], { name: 'projector', expected: null, next: 5 });
    expect(await g2.get(tenant, 'a')).toBeNull();
    expect(await g2.checkpoint('projector')).toBeNull();
    await g2.applyBatch([aProfile(tenant, 'a').at(1).build()], { name: 'projector', expected: null, next: 1 });
    expect((await g1.get(tenant, 'a'))!.position).toBe(5);
    expect((await g2.get(tenant, 'a'))!.position).toBe(1);
  });

  it('writes large batches, skipping only the stale documents', async () => {
    const readModel = new MongoProfileReadModel(client.db(dbName));
    const tenant = uniqueTenant();
    const cp = uniqueCheckpoint();
    const ids = Array.from({ length: 1000 }, (_, i) => `p-${String(i).padStart(5, '0')}`);
    await readModel.applyBatch(ids.map((id) => aProfile(tenant, id).at(10).trait('v', 'first').build()), { name: cp, expected: null, next: 10 });
    // Half stale (older), half fresh (newer).
    const second = ids.map((id, i) => aProfile(tenant, id).at(i % 2 === 0 ? 9 : 11).trait('v', i % 2 === 0 ? 'stale' : 'fresh').build());
    await readModel.applyBatch(second, { name: cp, expected: 10, next: 11 });
    const stored = await readModel.getMany(tenant, ids);
    expect(stored.size).toBe(ids.length);
    ids.forEach((id, i) => {
      expect(stored.get(id)!.state.attributes.traits.v).toBe(i % 2 === 0 ? 'first' : 'fresh');
      expect(stored.get(id)!.position).toBe(i % 2 === 0 ? 10 : 11);
    });
    await expect(readModel.applyBatch(second, { name: cp, expected: 10, next: 11 })).rejects.toBeInstanceOf(CheckpointConflictError);
  });

  it('lets the newest document win when two writers insert the same new profiles at once', async () => {
    const db = client.db(dbName);
    const a = new MongoProfileReadModel(db);
    const b = new MongoProfileReadModel(db);
    const tenant = uniqueTenant();
    const ids = Array.from({ length: 300 }, (_, i) => `p-${String(i).padStart(4, '0')}`);
    await Promise.all([
      a.applyBatch(ids.map((id) => aProfile(tenant, id).at(5).trait('v', 'older').build()), { name: uniqueCheckpoint(), expected: null, next: 5 }),
      b.applyBatch(ids.map((id) => aProfile(tenant, id).at(7).trait('v', 'newer').build()), { name: uniqueCheckpoint(), expected: null, next: 7 }),
      a.applyBatch([...ids].reverse().map((id) => aProfile(tenant, id).at(6).trait('v', 'middle').build()), { name: uniqueCheckpoint(), expected: null, next: 6 }),
    ]);
    const stored = await a.getMany(tenant, ids);
    expect([...stored.values()].every((d) => d.position === 7 && d.state.attributes.traits.v === 'newer')).toBe(true);
  });

  it.each([
    ['a newer', 9, 9],
    ['an older', 6, 7],
  ])('re-judges a write when %s document lands between its read and its write', async (_, interloperPosition, expected) => {
    const db = client.db(dbName);
    const tenant = uniqueTenant();
    const other = new MongoProfileReadModel(db);
    let interfered = true;
    class Interrupted extends MongoProfileReadModel {
      protected override async storedPositions(documents: ProfileDocument[]) {
        const positions = await super.storedPositions(documents);
        if (!interfered) {
          interfered = true;
          await other.applyBatch([aProfile(tenant, 'p').at(interloperPosition).trait('by', 'other').build()], {
            name: uniqueCheckpoint(),
            expected: null,
            next: interloperPosition,
          });
        }
        return positions;
      }
    }
    await new MongoProfileReadModel(db).applyBatch([aProfile(tenant, 'p').at(5).trait('by', 'first').build()], { name: uniqueCheckpoint(), expected: null, next: 5 });
    // A writer that has not read the document before looks its position up, and the other gets in between.
    const readModel = new Interrupted(db);
    interfered = false;
    await readModel.applyBatch([aProfile(tenant, 'p').at(7).trait('by', 'me').build()], { name: uniqueCheckpoint(), expected: null, next: 7 });
    const stored = (await readModel.get(tenant, 'p'))!;
    expect(stored.position).toBe(expected);
    expect(stored.state.attributes.traits.by).toBe(expected === 7 ? 'me' : 'other');
  });

  it('writes from the positions it read last without reading them again, and re-reads when another writer moved on', async () => {
    const db = client.db(dbName);
    const tenant = uniqueTenant();
    const me = new MongoProfileReadModel(db);
    const other = new MongoProfileReadModel(db);
    const find = jest.spyOn(me.profiles, 'find');
    await me.applyBatch([aProfile(tenant, 'p').at(5).trait('by', 'me').build()], { name: uniqueCheckpoint(), expected: null, next: 5 });
    await me.getMany(tenant, ['p', 'q']);
    find.mockClear();
    await me.applyBatch([aProfile(tenant, 'p').at(6).trait('by', 'me').build(), aProfile(tenant, 'q').at(6).build()], { name: uniqueCheckpoint(), expected: null, next: 6 });
    expect(find).not.toHaveBeenCalled();
    // Another writer moves p on; my memory says 6: my older write is judged again and changes nothing.
    await other.applyBatch([aProfile(tenant, 'p').at(9).trait('by', 'other').build()], { name: uniqueCheckpoint(), expected: null, next: 9 });
    await me.applyBatch([aProfile(tenant, 'p').at(8).trait('by', 'me').build()], { name: uniqueCheckpoint(), expected: null, next: 8 });
    expect((await other.get(tenant, 'p'))!.state.attributes.traits.by).toBe('other');
    await me.applyBatch([aProfile(tenant, 'p').at(10).trait('by', 'me').build()], { name: uniqueCheckpoint(), expected: null, next: 10 });
    expect((await other.get(tenant, 'p'))!.position).toBe(10);
  });

  it('never skips a write on memory alone: a read model restored to older positions is written again', async () => {
    const tenant = uniqueTenant();
    const me = new MongoProfileReadModel(client.db(dbName), { collection: `restored_${randomBytes(4).toString('hex')}` });
    await me.ensureIndexes();
    await me.applyBatch([aProfile(tenant, 'p').at(9).trait('v', 'before').build()], { name: uniqueCheckpoint(), expected: null, next: 9 });
    await me.getMany(tenant, ['p']);
    // The collection comes back from an older backup (here: empty), unknown to the process.
    await me.profiles.deleteMany({});
    await me.applyBatch([aProfile(tenant, 'p').at(3).trait('v', 'replayed').build()], { name: uniqueCheckpoint(), expected: null, next: 3 });
    expect((await me.get(tenant, 'p'))?.state.attributes.traits.v).toBe('replayed');
    await me.applyBatch([aProfile(tenant, 'p').at(12).trait('v', 'after').build()], { name: uniqueCheckpoint(), expected: null, next: 12 });
    expect((await me.get(tenant, 'p'))?.position).toBe(12);
  });

  it('drops undefined fields rather than storing them as null', async () => {
    const readModel = new MongoProfileReadModel(client.db(dbName));
    const tenant = uniqueTenant();
    const doc = aProfile(tenant, 'u').build();
    (doc.state.attributes.traits as Record<string, unknown>).gone = undefined;
    await readModel.applyBatch([doc], { name: uniqueCheckpoint(), expected: null, next: 1 });
    expect(Object.keys((await readModel.get(tenant, 'u'))!.state.attributes.traits)).toEqual([]);
  });

  it('opens its own connection and closes it', async () => {
    const readModel = await MongoProfileReadModel.open(mongoUrl, dbName);
    expect(await readModel.checkpoint(uniqueCheckpoint())).toBeNull();
    await readModel.close();
  });

  it('refuses a malformed URL before connecting', async () => {
    await expect(connectMongo('mongo://localhost', dbName)).rejects.toBeInstanceOf(InvalidMongoUrlError);
    await expect(MongoProfileReadModel.open('mongodb://localhost:99999', dbName)).rejects.toThrow(/not a valid port/);
  });
});
