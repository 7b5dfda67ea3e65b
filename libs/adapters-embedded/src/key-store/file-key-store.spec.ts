import { mkdtempSync, readFileSync, rmSync, statSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { aWrappedKey, describeKeyStoreContract, scanDirectory } from '@cds/contract-tests';
import { FileKeyStore, KEY_JOURNAL_FILE, KeyStoreInUseError } from './file-key-store';
import { encodeBatch, RecordKind } from './key-journal-format';
import { KeyJournalCorruptionError } from './key-journal-recovery';

const quiet = { onWarning: () => undefined };

describeKeyStoreContract(
  'embedded key journal',
  async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cds-keys-'));
    let store = await FileKeyStore.open({ directory, ...quiet });
    return {
      store,
      reopen: async () => {
        await store.close();
        store = await FileKeyStore.open({ directory, ...quiet });
        return store;
      },
      findInStorage: (values) => scanDirectory(directory, values),
      cleanup: async () => {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  },
  { storage: true },
);

describe('FileKeyStore', () => {
  let directory: string;
  const stores: FileKeyStore[] = [];
  const open = async (options: { onWarning?: (message: string) => void } = quiet) => {
    const store = await FileKeyStore.open({ directory, ...options });
    stores.push(store);
    return store;
  };
  const journal = () => join(directory, KEY_JOURNAL_FILE);

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cds-keys-'));
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('makes many concurrent creates share flushes', async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 300 }, () => store.create('acme', randomUUID(), aWrappedKey())));
    expect(store.syncs).toBeGreaterThan(0);
    expect(store.syncs).toBeLessThanOrEqual(5);
  });

  it('keeps the journal readable by its owner only', async () => {
    const store = await open();
    await store.create('acme', 'p-1', aWrappedKey());
    expect(statSync(journal()).mode & 0o777).toBe(0o600);
    expect(statSync(directory).mode & 0o077).toBe(0);
  });

  it('refuses a second store on the same directory', async () => {
    await open();
    await expect(FileKeyStore.open({ directory, ...quiet })).rejects.toThrow(KeyStoreInUseError);
  });

  it('cuts the torn remains of an unfinished write and keeps every acknowledged key', async () => {
    const first = await open();
    const key = await first.create('acme', 'p-1', aWrappedKey());
    await first.close();
    const torn = encodeBatch([{ kind: RecordKind.Key, tenant: 'acme', subject: 'p-2', masterKeyId: 1, wrapped: aWrappedKey().wrapped }]).buffer;
    appendFileSync(journal(), torn.subarray(0, torn.length - 7));
    const warnings: string[] = [];

    const reopened = await open({ onWarning: (message) => warnings.push(message) });
    expect(warnings.join()).toMatch(/cut \d+ bytes of an unfinished write/);
    expect(await reopened.get('acme', 'p-1')).toEqual({ state: 'live', key });
    expect(await reopened.get('acme', 'p-2')).toBeNull();
    const later = await reopened.create('acme', 'p-3', aWrappedKey());
    await reopened.close();
    expect(await (await open()).get('acme', 'p-3')).toEqual({ state: 'live', key: later });
  });

  it('refuses to open over damage to acknowledged keys', async () => {
    const store = await open();
    await store.create('acme', 'p-1', aWrappedKey());
    await store.create('acme', 'p-2', aWrappedKey());
    await store.close();
    const bytes = readFileSync(journal());
    bytes[10] ^= 0xff;
    writeFileSync(journal(), bytes);
    await expect(open()).rejects.toThrow(KeyJournalCorruptionError);
  });

  it('refuses to open over a damaged key', async () => {
    const store = await open();
    const key = await store.create('acme', 'p-1', aWrappedKey());
    await store.close();
    const bytes = readFileSync(journal());
    bytes[bytes.indexOf(key.wrapped) + 3] ^= 1;
    writeFileSync(journal(), bytes);
    await expect(open()).rejects.toThrow(/the key of acme\/p-1 is damaged/);
  });

  it('finishes a destruction a crash interrupted between the tombstone and the zeros', async () => {
    const store = await open();
    const key = await store.create('acme', 'p-1', aWrappedKey());
    await store.close();
    // The tombstone made it to disk, half the key's zeros did.
    const bytes = readFileSync(journal());
    bytes.fill(0, bytes.indexOf(key.wrapped), bytes.indexOf(key.wrapped) + 20);
    const tombstone = encodeBatch([{ kind: RecordKind.Tombstone, tenant: 'acme', subject: 'p-1', masterKeyId: 0, wrapped: Buffer.alloc(0) }]).buffer;
    writeFileSync(journal(), Buffer.concat([bytes, tombstone]));
    const warnings: string[] = [];

    const reopened = await open({ onWarning: (message) => warnings.push(message) });
    expect(await reopened.get('acme', 'p-1')).toEqual({ state: 'destroyed' });
    expect(warnings.join()).toMatch(/finished destroying 1 key/);
    expect(await scanDirectory(directory, [key.wrapped.subarray(20)])).toEqual([]);
  });

  it('compacts a journal that is mostly destroyed keys, keeping live keys and tombstones', async () => {
    const store = await open();
    const subjects = Array.from({ length: 12_000 }, (_, i) => `profile-${i}-${randomUUID()}`);
    await Promise.all(subjects.map((subject) => store.create('acme', subject, aWrappedKey())));
    const kept = await store.get('acme', subjects[0]);
    await store.destroy('acme', subjects.slice(1));
    await store.close();
    const before = statSync(journal()).size;
    expect(before).toBeGreaterThan(1024 * 1024);

    const reopened = await open();
    expect(statSync(journal()).size).toBeLessThan(before / 2);
    expect(await reopened.get('acme', subjects[0])).toEqual(kept);
    expect(await reopened.get('acme', subjects[1])).toEqual({ state: 'destroyed' });
    await expect(reopened.create('acme', subjects[2], aWrappedKey())).rejects.toThrow(/erased/);
  });
});
