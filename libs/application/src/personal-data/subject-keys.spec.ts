import { InMemoryKeyStore } from './in-memory-key-store';
import { KeyStore, SubjectErasedError } from './key-store.port';
import { generateMasterKey, MasterKeyError, masterKeys, MasterKeys } from './master-keys';
import { SealedPayloadError } from './sealed-payload';
import { SubjectKeyMissingError, SubjectKeys } from './subject-keys';

const keysA = masterKeys(generateMasterKey());
const payload = { attribute: 'traits.email', value: 'alice@example.com', note: 'Zoë ✓' };

function setup(keys: MasterKeys = keysA, store: KeyStore = new InMemoryKeyStore()) {
  return { store, subjectKeys: new SubjectKeys(store, keys) };
}

describe('SubjectKeys', () => {
  it('opens what it sealed, and the sealed text reveals nothing of the value', async () => {
    const { subjectKeys } = setup();
    const sealed = await subjectKeys.seal('acme', 'p-1', payload);
    expect(await subjectKeys.open('acme', 'p-1', sealed)).toEqual({ status: 'open', value: payload });
    expect(sealed).not.toContain('alice');
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('alice');
  });

  it('seals the same value differently every time (a fresh IV each time)', async () => {
    const { subjectKeys } = setup();
    const one = await subjectKeys.seal('acme', 'p-1', payload);
    const two = await subjectKeys.seal('acme', 'p-1', payload);
    expect(one).not.toEqual(two);
  });

  it('refuses a payload moved to another subject or tenant, or damaged', async () => {
    const { subjectKeys } = setup();
    const sealed = await subjectKeys.seal('acme', 'p-1', payload);
    await subjectKeys.seal('acme', 'p-2', 'p-2 has a key too');
    await subjectKeys.seal('other', 'p-1', 'so has p-1 of another tenant');
    await expect(subjectKeys.open('acme', 'p-2', sealed)).rejects.toThrow(SealedPayloadError);
    await expect(subjectKeys.open('other', 'p-1', sealed)).rejects.toThrow(SealedPayloadError);
    const bytes = Buffer.from(sealed, 'base64');
    bytes[20] ^= 1;
    await expect(subjectKeys.open('acme', 'p-1', bytes.toString('base64'))).rejects.toThrow(SealedPayloadError);
    await expect(subjectKeys.open('acme', 'p-1', { value: 'clear' } as unknown as string)).rejects.toThrow(SealedPayloadError);
  });

  it('seals JSON values only', async () => {
    await expect(setup().subjectKeys.seal('acme', 'p-1', undefined)).rejects.toThrow(TypeError);
  });

  it('keeps keys in the store: a restarted process opens what the last one sealed', async () => {
    const { store, subjectKeys } = setup();
    const sealed = await subjectKeys.seal('acme', 'p-1', payload);
    const restarted = new SubjectKeys(store, keysA);
    expect(await restarted.open('acme', 'p-1', sealed)).toEqual({ status: 'open', value: payload });
  });

  it('gives concurrent first seals of one subject one key', async () => {
    const { store, subjectKeys } = setup();
    const sealed = await Promise.all(Array.from({ length: 20 }, (_, i) => subjectKeys.seal('acme', 'p-new', { i })));
    const restarted = new SubjectKeys(store, keysA);
    const opened = await Promise.all(sealed.map((s) => restarted.open('acme', 'p-new', s)));
    expect(opened).toEqual(Array.from({ length: 20 }, (_, i) => ({ status: 'open', value: { i } })));
  });

  it('answers erased once the subject is erased, and refuses to seal for it again', async () => {
    const { store, subjectKeys } = setup();
    const sealed = await subjectKeys.seal('acme', 'p-1', payload);
    const kept = await subjectKeys.seal('acme', 'p-2', 'someone else');
    await subjectKeys.erase('acme', ['p-1']);
    expect(await subjectKeys.open('acme', 'p-1', sealed)).toEqual({ status: 'erased' });
    await expect(subjectKeys.seal('acme', 'p-1', payload)).rejects.toThrow(SubjectErasedError);
    const restarted = new SubjectKeys(store, keysA);
    expect(await restarted.open('acme', 'p-1', sealed)).toEqual({ status: 'erased' });
    expect(await restarted.open('acme', 'p-2', kept)).toEqual({ status: 'open', value: 'someone else' });
  });

  it('erases a subject that never had a key: nothing can be sealed for it later', async () => {
    const { subjectKeys } = setup();
    await subjectKeys.erase('acme', ['p-never']);
    await expect(subjectKeys.seal('acme', 'p-never', payload)).rejects.toThrow(SubjectErasedError);
  });

  it('fails loudly on a payload whose key the store never had', async () => {
    const sealed = await setup().subjectKeys.seal('acme', 'p-1', payload);
    await expect(setup().subjectKeys.open('acme', 'p-1', sealed)).rejects.toThrow(SubjectKeyMissingError);
  });

  it('sees another process erase a subject once its cached key is older than maxAgeMs, or forgotten', async () => {
    const store = new InMemoryKeyStore();
    let now = 0;
    const reader = new SubjectKeys(store, keysA, { maxAgeMs: 1000, now: () => now });
    const eraser = new SubjectKeys(store, keysA);
    const one = await reader.seal('acme', 'p-1', 1);
    const two = await reader.seal('acme', 'p-2', 2);
    await eraser.erase('acme', ['p-1', 'p-2']);
    now = 999;
    expect(await reader.open('acme', 'p-1', one)).toEqual({ status: 'open', value: 1 });
    reader.forget('acme', ['p-2']);
    expect(await reader.open('acme', 'p-2', two)).toEqual({ status: 'erased' });
    now = 1000;
    expect(await reader.open('acme', 'p-1', one)).toEqual({ status: 'erased' });
  });

  it('opens a page of payloads synchronously after loading its keys in one store read per thousand subjects', async () => {
    const store = new InMemoryKeyStore();
    const writer = new SubjectKeys(store, keysA);
    const sealed = await Promise.all(Array.from({ length: 1500 }, (_, i) => writer.seal('acme', `p-${i}`, { i })));
    await writer.erase('acme', ['p-7']);
    const getMany = jest.spyOn(store, 'getMany');
    const reader = new SubjectKeys(store, keysA);
    const refs = sealed.map((_, i) => ({ tenant: 'acme', subject: `p-${i}` }));
    const opener = await reader.openerFor([...refs, ...refs]);
    expect(getMany).toHaveBeenCalledTimes(2);
    expect(opener.open('acme', 'p-3', sealed[3])).toEqual({ status: 'open', value: { i: 3 } });
    expect(opener.open('acme', 'p-7', sealed[7])).toEqual({ status: 'erased' });
    expect(() => opener.open('acme', 'p-unknown', sealed[3])).toThrow(RangeError);
  });

  it('refuses subjects that could pass for its own reserved ones', async () => {
    const { subjectKeys } = setup();
    await expect(subjectKeys.seal('acme', '~names', payload)).rejects.toThrow(/subject/);
    await expect(subjectKeys.erase('acme', ['~names'])).rejects.toThrow(/subject/);
    await expect(subjectKeys.seal('Not A Tenant', 'p-1', payload)).rejects.toThrow(/Organization/);
  });

  describe('keyed names', () => {
    it('stand for a value without containing it, per tenant and purpose', async () => {
      const { store, subjectKeys } = setup();
      const name = await subjectKeys.keyedName('acme', 'user_id', 'alice');
      expect(name).toMatch(/^[0-9a-f]{64}$/);
      expect(await subjectKeys.keyedName('acme', 'user_id', 'alice')).toBe(name);
      expect(await new SubjectKeys(store, keysA).keyedName('acme', 'user_id', 'alice')).toBe(name);
      expect(await subjectKeys.keyedName('other', 'user_id', 'alice')).not.toBe(name);
      expect(await subjectKeys.keyedName('acme', 'identity:email', 'alice')).not.toBe(name);
      expect(await subjectKeys.keyedName('acme', 'user_id', 'alice2')).not.toBe(name);
    });

    it('differ between installations with different key stores', async () => {
      expect(await setup().subjectKeys.keyedName('acme', 'user_id', 'alice')).not.toBe(
        await setup().subjectKeys.keyedName('acme', 'user_id', 'alice'),
      );
    });
  });

  describe('master key rotation', () => {
    it('re-wraps every key under the new master key; names and payloads stay readable without the old one', async () => {
      const store = new InMemoryKeyStore();
      const before = new SubjectKeys(store, keysA);
      const sealed = await Promise.all(['p-1', 'p-2', 'p-3'].map((p) => before.seal('acme', p, p)));
      await before.erase('acme', ['p-3']);
      const name = await before.keyedName('acme', 'user_id', 'alice');

      const keysB = generateMasterKey();
      const during = new SubjectKeys(store, masterKeys(keysB, [keysA.current]));
      expect(await during.open('acme', 'p-1', sealed[0])).toEqual({ status: 'open', value: 'p-1' });
      // Two payload keys and the tenant's name key.
      expect(await during.rewrapAll({ batchSize: 2 })).toEqual({ rewrapped: 3 });
      expect(await store.listWrappedOtherThan(keysB.id, 10)).toEqual([]);

      const after = new SubjectKeys(store, masterKeys(keysB));
      expect(await after.open('acme', 'p-2', sealed[1])).toEqual({ status: 'open', value: 'p-2' });
      expect(await after.open('acme', 'p-3', sealed[2])).toEqual({ status: 'erased' });
      expect(await after.keyedName('acme', 'user_id', 'alice')).toBe(name);
    });

    it('names the master key it misses when a key was wrapped under one it does not know', async () => {
      const store = new InMemoryKeyStore();
      const sealed = await new SubjectKeys(store, keysA).seal('acme', 'p-1', payload);
      const stranger = new SubjectKeys(store, masterKeys(generateMasterKey()));
      await expect(stranger.open('acme', 'p-1', sealed)).rejects.toThrow(MasterKeyError);
      await expect(stranger.open('acme', 'p-1', sealed)).rejects.toThrow(/CDS_MASTER_KEY/);
    });
  });
});
