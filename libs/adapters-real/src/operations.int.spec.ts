import { randomBytes } from 'node:crypto';
import { describeOperationsContract } from '@cds/contract-tests';
import { EsdbEventStore } from './esdb';
import { MongoReadModelGenerations } from './mongo/mongo-generations';

const esdbUrl = process.env.CDS_TEST_ESDB_URL;
const mongoUrl = process.env.CDS_TEST_MONGO_URL;
if (!esdbUrl || !mongoUrl) throw new Error('Run the integration tests through the test-server runner (npm run test:int)');

const database = () => `cds_ops_${randomBytes(6).toString('hex')}`;

// The shared EventStoreDB log: no poison events there, other suites fold it too.
describeOperationsContract('EventStoreDB and MongoDB generations', async () => {
  const store = await EsdbEventStore.connect(esdbUrl);
  const generations = await MongoReadModelGenerations.open(mongoUrl, database());
  return {
    store,
    generations,
    cleanup: async () => {
      await generations.db.dropDatabase();
      await generations.close();
      await store.close();
    },
  };
}, { poison: false });
