import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeKeyStoreContract, scanRecords } from '@cds/contract-tests';
import { SubjectKeys, generateMasterKey, masterKeys } from '@cds/application';
import { connectMongo } from './mongo-connect';
import { MongoKeyStore } from './mongo-key-store';

const url = process.env.CDS_TEST_MONGO_URL;
if (url === undefined || url === '') {
  throw new Error('CDS_TEST_MONGO_URL is not set: run the integration tests through the test-server runner');
}
const mongoUrl: string = url;
const dbName = `cds_keys_${randomBytes(6).toString('hex')}`;
let client: MongoClient;

beforeAll(async () => {
  ({ client } = await connectMongo(mongoUrl, dbName));
});

afterAll(async () => {
  await client?.db(dbName).dropDatabase().catch(() => undefined);
  await client?.close();
});

describeKeyStoreContract(
  'mongo',
  async () => {
    const collection = `keys_${randomBytes(4).toString('hex')}`;
    const open = async () => {
      const store = MongoKeyStore.inDatabase(client.db(dbName), collection);
      await store.ensureIndexes();
      return store;
    };
    const store = await open();
    return {
      store,
      reopen: open,
      // The documents as the server returns them, as raw BSON bytes.
      findInStorage: async (values) => {
        const documents = await client.db(dbName).collection(collection).find({}, { raw: true }).toArray();
        return scanRecords(
          documents.map((document, i) => ({ location: `document ${i}`, record: document as unknown as Buffer })),
          values,
        );
      },
      cleanup: async () => {
        await client.db(dbName).collection(collection).drop().catch(() => undefined);
      },
    };
  },
  { storage: true },
);

describe('MongoKeyStore with SubjectKeys', () => {
  it('seals, erases and re-wraps through a separate connection of its own', async () => {
    const store = await MongoKeyStore.open(mongoUrl, dbName, `keys_${randomBytes(4).toString('hex')}`);
    try {
      const old = masterKeys(generateMasterKey());
      const sealed = await new SubjectKeys(store, old).seal('acme', 'p-1', { email: 'alice@example.com' });
      const current = generateMasterKey();
      expect(await new SubjectKeys(store, masterKeys(current, [old.current])).rewrapAll()).toEqual({ rewrapped: 1 });
      const after = new SubjectKeys(store, masterKeys(current));
      expect(await after.open('acme', 'p-1', sealed)).toEqual({ status: 'open', value: { email: 'alice@example.com' } });
      await after.erase('acme', ['p-1']);
      expect(await new SubjectKeys(store, masterKeys(current)).open('acme', 'p-1', sealed)).toEqual({ status: 'erased' });
    } finally {
      await store.close();
    }
  });
});
