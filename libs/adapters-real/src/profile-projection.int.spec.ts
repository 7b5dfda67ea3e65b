import { randomBytes } from 'node:crypto';
import { describeProfileProjectionContract } from '@cds/contract-tests';
import { EsdbEventStore } from './esdb';
import { connectMongo } from './mongo/mongo-connect';
import { MongoProfileReadModel } from './mongo/mongo-read-model';

// The projector over EventStoreDB (gRPC emulator) into the MongoDB wire server.
describeProfileProjectionContract('EventStoreDB log and MongoDB read model', async () => {
  const store = await EsdbEventStore.connect(process.env.CDS_TEST_ESDB_URL!);
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
      await db.dropDatabase();
      await client.close();
    },
  };
});
