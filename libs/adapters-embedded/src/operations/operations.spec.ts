import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOperationsContract } from '@cds/contract-tests';
import { FileEventStore } from '../event-log';
import { InMemoryReadModelGenerations } from './in-memory-generations';

describeOperationsContract('embedded log and in-process generations', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'cds-operations-'));
  const store = await FileEventStore.open({ directory, fsync: false });
  const generations = new InMemoryReadModelGenerations();
  return {
    store,
    generations,
    cleanup: async () => {
      await generations.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
