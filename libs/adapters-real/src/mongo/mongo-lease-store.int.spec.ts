import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeLeaseStoreContract } from '@cds/contract-tests';
import { connectMongo } from './mongo-connect';
import { MongoLeaseStore } from './mongo-lease-store';

const dbName = `cds_leases_${randomBytes(6).toString('hex')}`;
let client: MongoClient;

beforeAll(async () => {
  ({ client } = await connectMongo(process.env.CDS_TEST_MONGO_URL!, dbName));
});
afterAll(async () => {
  await client?.db(dbName).dropDatabase().catch(() => undefined);
  await client?.close();
});

describeLeaseStoreContract('mongo', async () => ({ store: new MongoLeaseStore(client.db(dbName)), cleanup: async () => undefined }));
