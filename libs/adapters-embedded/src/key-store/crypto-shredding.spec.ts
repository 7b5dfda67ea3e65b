import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { masterKeys, SubjectKeys } from '@cds/application';
import { scanDirectory } from '@cds/contract-tests';
import { FileKeyStore } from './file-key-store';
import { loadOrCreateMasterKeyFile, MASTER_KEY_FILE } from './master-key-file';

/** A data directory as the embedded default lays it out: a log of sealed payloads, the keys, the master key. */
async function start(dataDir: string) {
  const keys = masterKeys(await loadOrCreateMasterKeyFile(join(dataDir, MASTER_KEY_FILE)));
  const store = await FileKeyStore.open({ directory: join(dataDir, 'keys') });
  return { store, subjectKeys: new SubjectKeys(store, keys) };
}

describe('crypto-shredding over the embedded data directory', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cds-shred-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps values out of the directory, and makes them unreadable for good once erased', async () => {
    const log = join(dataDir, 'log.ndjson');
    const first = await start(dataDir);
    const write = async (subject: string, value: unknown) =>
      appendFileSync(log, `${JSON.stringify({ subject, sealed: await first.subjectKeys.seal('acme', subject, value) })}\n`);
    await write('p-alice', { email: 'alice@example.com', name: 'Alice Liddell' });
    await write('p-bob', { email: 'bob@example.com' });
    expect(await scanDirectory(dataDir, ['alice@example.com', 'Alice Liddell', 'bob@example.com'])).toEqual([]);

    await first.subjectKeys.erase('acme', ['p-alice']);
    await first.store.close();

    const again = await start(dataDir);
    const opened = await Promise.all(
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .map(({ subject, sealed }) => again.subjectKeys.open('acme', subject, sealed)),
    );
    expect(opened).toEqual([{ status: 'erased' }, { status: 'open', value: { email: 'bob@example.com' } }]);
    await again.store.close();
  });
});
