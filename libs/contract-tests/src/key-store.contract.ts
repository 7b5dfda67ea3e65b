import { randomBytes, randomUUID } from 'node:crypto';
import { KeyStore, SubjectErasedError, WrappedDataKey } from '@cds/application';
import { Finding, Needle } from './personal-data-scan';
import { uniqueTenant } from './read-model.builder';

export interface KeyStoreFixture {
  store: KeyStore;
  /** Closes the store and opens it again on the same storage; absent when nothing outlives the store. */
  reopen?(): Promise<KeyStore>;
  /** Where the values are in the store's storage (its files, its raw documents); absent when it has none. */
  findInStorage?(values: readonly Needle[]): Promise<Finding[]>;
  cleanup(): Promise<void>;
}

/** A wrapped key with recognisable random bytes: these tests never unwrap. */
export const aWrappedKey = (masterKeyId = 1): WrappedDataKey => ({ masterKeyId, wrapped: randomBytes(61) });

/**
 * The key store port: put-if-absent creation that many callers can race, tombstones that refuse a
 * new key, destruction that leaves no copy of the key in storage, re-wrapping by compare-and-set,
 * and all of it surviving a restart.
 */
export function describeKeyStoreContract(
  name: string,
  open: () => Promise<KeyStoreFixture>,
  /** storage: the fixture can search the store's storage for key bytes. */
  options: { storage: boolean },
): void {
  describe(`key store: ${name}`, () => {
    let fixture: KeyStoreFixture;
    let store: KeyStore;
    let tenant: string;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      tenant = uniqueTenant('keys');
    });
    afterEach(async () => fixture.cleanup());

    const reopen = async () => {
      if (fixture.reopen) store = await fixture.reopen();
    };

    it('answers null for a subject that never had a key', async () => {
      expect(await store.get(tenant, 'p-unknown')).toBeNull();
      expect(await store.getMany(tenant, ['p-unknown'])).toEqual(new Map());
    });

    it('keeps the first key of a subject: a second create answers with it', async () => {
      const first = aWrappedKey();
      expect(await store.create(tenant, 'p-1', first)).toEqual(first);
      expect(await store.create(tenant, 'p-1', aWrappedKey())).toEqual(first);
      expect(await store.get(tenant, 'p-1')).toEqual({ state: 'live', key: first });
    });

    it('gives every one of many racing creates of one subject the same key', async () => {
      const keys = await Promise.all(Array.from({ length: 25 }, () => store.create(tenant, 'p-raced', aWrappedKey())));
      expect(new Set(keys.map((key) => key.wrapped.toString('hex'))).size).toBe(1);
      await reopen();
      expect(await store.get(tenant, 'p-raced')).toEqual({ state: 'live', key: keys[0] });
    });

    it('keeps every key of many concurrent creates across a restart', async () => {
      const subjects = Array.from({ length: 200 }, () => randomUUID());
      const keys = await Promise.all(subjects.map((subject) => store.create(tenant, subject, aWrappedKey(7))));
      await reopen();
      const found = await store.getMany(tenant, subjects);
      expect(subjects.map((subject) => found.get(subject))).toEqual(keys.map((key) => ({ state: 'live', key })));
    });

    it('keeps the same subject id of two tenants apart', async () => {
      const other = uniqueTenant('keys');
      const mine = await store.create(tenant, 'p-1', aWrappedKey());
      const theirs = await store.create(other, 'p-1', aWrappedKey());
      await store.destroy(other, ['p-1']);
      expect(await store.get(tenant, 'p-1')).toEqual({ state: 'live', key: mine });
      expect(await store.get(other, 'p-1')).toEqual({ state: 'destroyed' });
      expect(theirs).not.toEqual(mine);
    });

    it('destroys keys for good: a tombstone, no new key, across a restart, others untouched', async () => {
      const kept = await store.create(tenant, 'p-kept', aWrappedKey());
      await store.create(tenant, 'p-1', aWrappedKey());
      await store.create(tenant, 'p-2', aWrappedKey());
      await store.destroy(tenant, ['p-1', 'p-2', 'p-never-created']);
      await store.destroy(tenant, ['p-1']);
      await reopen();
      for (const subject of ['p-1', 'p-2', 'p-never-created']) {
        expect(await store.get(tenant, subject)).toEqual({ state: 'destroyed' });
        await expect(store.create(tenant, subject, aWrappedKey())).rejects.toThrow(SubjectErasedError);
      }
      expect(await store.get(tenant, 'p-kept')).toEqual({ state: 'live', key: kept });
      const many = await store.getMany(tenant, ['p-1', 'p-kept', 'p-unknown']);
      expect(many).toEqual(new Map([['p-1', { state: 'destroyed' }], ['p-kept', { state: 'live', key: kept }]]));
    });

    type Find = NonNullable<KeyStoreFixture['findInStorage']>;
    const cannotSearch: Find = () => Promise.reject(new Error('the fixture cannot search its storage'));
    const withStorage = (title: string, test: (find: Find) => Promise<void>) =>
      (options.storage ? it : it.skip)(title, () => test(fixture.findInStorage ?? cannotSearch));

    withStorage('leaves no copy of a destroyed key in its storage', async (findInStorage) => {
      const destroyed = await store.create(tenant, 'p-gone', aWrappedKey());
      const kept = await store.create(tenant, 'p-kept', aWrappedKey());
      // The scan must see keys where they are, or finding nothing later would prove nothing.
      expect((await findInStorage([destroyed.wrapped])).length).toBeGreaterThan(0);
      await store.destroy(tenant, ['p-gone']);
      expect(await findInStorage([destroyed.wrapped])).toEqual([]);
      expect((await findInStorage([kept.wrapped])).length).toBeGreaterThan(0);
    });

    it('re-wraps by compare-and-set, never a destroyed key', async () => {
      const old = await store.create(tenant, 'p-1', aWrappedKey(1));
      await store.create(tenant, 'p-2', aWrappedKey(1));
      await store.create(tenant, 'p-3', aWrappedKey(2));
      await store.create(tenant, 'p-gone', aWrappedKey(1));
      await store.destroy(tenant, ['p-gone']);
      const listed = (await store.listWrappedOtherThan(2, 1000)).filter((record) => record.tenant === tenant);
      expect(listed.map((record) => record.subject).sort()).toEqual(['p-1', 'p-2']);
      expect(listed.find((record) => record.subject === 'p-1')?.key).toEqual(old);

      const fresh = aWrappedKey(2);
      const replaced = await store.rewrap([
        { tenant, subject: 'p-1', fromMasterKeyId: 1, key: fresh },
        { tenant, subject: 'p-2', fromMasterKeyId: 3, key: aWrappedKey(2) },
        { tenant, subject: 'p-gone', fromMasterKeyId: 1, key: aWrappedKey(2) },
      ]);
      expect(replaced).toBe(1);
      await reopen();
      expect(await store.get(tenant, 'p-1')).toEqual({ state: 'live', key: fresh });
      expect(await store.get(tenant, 'p-2')).toEqual({ state: 'live', key: expect.objectContaining({ masterKeyId: 1 }) });
      expect(await store.get(tenant, 'p-gone')).toEqual({ state: 'destroyed' });
      expect((await store.listWrappedOtherThan(2, 1000)).filter((record) => record.tenant === tenant).map((r) => r.subject)).toEqual(['p-2']);
    });

    withStorage('leaves no copy of a key wrapping it replaced', async (findInStorage) => {
      const old = await store.create(tenant, 'p-1', aWrappedKey(1));
      expect((await findInStorage([old.wrapped])).length).toBeGreaterThan(0);
      expect(await store.rewrap([{ tenant, subject: 'p-1', fromMasterKeyId: 1, key: aWrappedKey(2) }])).toBe(1);
      expect(await findInStorage([old.wrapped])).toEqual([]);
    });

    it('applies one of two re-wraps of the same key from the same master key', async () => {
      await store.create(tenant, 'p-1', aWrappedKey(1));
      const [one, two] = [aWrappedKey(2), aWrappedKey(2)];
      const replaced = await store.rewrap([
        { tenant, subject: 'p-1', fromMasterKeyId: 1, key: one },
        { tenant, subject: 'p-1', fromMasterKeyId: 1, key: two },
      ]);
      expect(replaced).toBe(1);
      await reopen();
      const stored = await store.get(tenant, 'p-1');
      expect([{ state: 'live', key: one }, { state: 'live', key: two }]).toContainEqual(stored);
    });

    it('lists at most the number of keys asked for', async () => {
      await Promise.all(['a', 'b', 'c'].map((subject) => store.create(tenant, `p-${subject}`, aWrappedKey(9))));
      expect(await store.listWrappedOtherThan(10, 2)).toHaveLength(2);
    });
  });
}
