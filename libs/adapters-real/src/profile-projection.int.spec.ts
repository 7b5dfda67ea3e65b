import { randomBytes } from 'node:crypto';
import { describeProfileProjectionContract, sharedLogKeys, sharedLogView } from '@cds/contract-tests';
import { EsdbEventStore } from './esdb';
import { connectMongo } from './mongo/mongo-connect';
import { MongoKeyStore } from './mongo/mongo-key-store';
import { MongoProfileReadModel } from './mongo/mongo-read-model';

// The projector over EventStoreDB (gRPC emulator) into the MongoDB wire server. The log is the
// run's shared one: it holds other specs' sealed events, read as the service reads them.
describeProfileProjectionContract('EventStoreDB log and MongoDB read model', async () => {
  const log = await EsdbEventStore.connect(process.env.CDS_TEST_ESDB_URL!);
  const keyStore = await MongoKeyStore.open(process.env.CDS_TEST_MONGO_URL!, sharedLogKeys().CDS_MONGO_KEYS_DATABASE);
  const store = sharedLogView(log, keyStore);
  const { client, db } = await connectMongo(process.env.CDS_TEST_MONGO_URL!, `projection_${randomBytes(5).toString('hex')}`);
  let generation = 0;
  const open = async () => {
    const readModel = new MongoProfileReadModel(db, { collection: `profiles_${++generation}` });
    await readModel.ensureIndexes();
    return readModel;
  };
  return {
    store,
    readModel: await open(),
    freshReadModel: open,
    cleanup: async () => {
      await store.close();
      await keyStore.close();
      await db.dropDatabase();
      await client.close();
    },
  };
});
