import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOperationsContract } from '@cds/contract-tests';
import { FileEventStore } from '../event-log';
import { SqliteReadModelGenerations } from './sqlite-generations';

describeOperationsContract('embedded log and SQLite generations', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'cds-operations-'));
  const store = await FileEventStore.open({ directory: join(directory, 'log'), fsync: false });
  const generations = SqliteReadModelGenerations.open(join(directory, 'read-model'));
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
