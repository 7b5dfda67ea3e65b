import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeProfileProjectionContract } from '@cds/contract-tests';
import { FileEventStore } from './event-log';
import { InMemoryProfileReadModel } from './read-model/in-memory-read-model';

describeProfileProjectionContract('embedded log and in-process read model', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'cds-projection-'));
  const store = await FileEventStore.open({ directory, fsync: false });
  return {
    store,
    readModel: new InMemoryProfileReadModel(),
    freshReadModel: async () => new InMemoryProfileReadModel(),
    cleanup: async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
