import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeProfileProjectionContract } from '@cds/contract-tests';
import { FileEventStore } from './event-log';
import { openSqlite } from './read-model/sqlite-database';
import { SqliteProfileReadModel } from './read-model/sqlite-read-model';

describeProfileProjectionContract('embedded log and SQLite read model', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'cds-projection-'));
  const store = await FileEventStore.open({ directory: join(directory, 'log'), fsync: false });
  const opened: SqliteProfileReadModel[] = [];
  const readModel = (name: string) => {
    const model = new SqliteProfileReadModel(openSqlite(join(directory, `${name}.db`)));
    opened.push(model);
    return model;
  };
  return {
    store,
    readModel: readModel('live'),
    freshReadModel: async () => readModel(`fresh-${opened.length}`),
    cleanup: async () => {
      await Promise.all(opened.map((model) => model.close()));
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
