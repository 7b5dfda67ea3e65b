import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileEventStore } from '@cds/adapters-embedded';
import { MongoReadModelGenerations } from '@cds/adapters-real';
import { describeOperationsContract } from '@cds/contract-tests';

const mongoUrl = process.env.CDS_TEST_MONGO_URL;
if (!mongoUrl) throw new Error('Run the integration tests through the test-server runner (npm run test:int)');

const database = () => `cds_ops_${randomBytes(6).toString('hex')}`;

// Dead letters and generations in MongoDB, with a log of the suite's own (poison events stay out of the shared EventStoreDB log).
describeOperationsContract('embedded log and MongoDB generations', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'cds-ops-int-'));
  const store = await FileEventStore.open({ directory, fsync: false });
  const generations = await MongoReadModelGenerations.open(mongoUrl, database());
  return {
    store,
    generations,
    cleanup: async () => {
      await generations.db.dropDatabase();
      await generations.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
