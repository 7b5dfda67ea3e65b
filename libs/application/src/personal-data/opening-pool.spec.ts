import { InMemoryKeyStore } from './in-memory-key-store';
import { generateMasterKey, masterKeys } from './master-keys';
import { PayloadOpeningPool } from './opening-pool';
import { SubjectKeys } from './subject-keys';

describe('PayloadOpeningPool', () => {
  const store = new InMemoryKeyStore();
  const keys = masterKeys(generateMasterKey());
  const writer = new SubjectKeys(store, keys);
  let pool: PayloadOpeningPool;

  afterEach(async () => pool?.close());

  it('opens a page on another thread exactly as inline opening does, in order', async () => {
    const items = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => ({ tenant: 'acme', subject: `p-${i % 40}`, sealed: await writer.seal('acme', `p-${i % 40}`, { i, name: `Zoë ${i}` }) })),
    );
    const reader = new SubjectKeys(store, keys);
    pool = new PayloadOpeningPool(reader, { threads: 2 });
    const [first, second] = await Promise.all([pool.openAll(items.slice(0, 150)), pool.openAll(items.slice(150))]);
    const inline = await reader.openerFor(items);
    expect([...first, ...second]).toEqual(items.map((item) => inline.open(item.tenant, item.subject, item.sealed)));
    expect(first[7]).toEqual({ status: 'open', value: { i: 7, name: 'Zoë 7' } });
  });

  it('answers erased for erased subjects and unreadable for damaged payloads or unknown keys, without failing the page', async () => {
    const kept = await writer.seal('acme', 'q-kept', 'kept');
    const gone = await writer.seal('acme', 'q-gone', 'gone');
    const moved = await writer.seal('acme', 'q-other', 'moved');
    const unknown = await new SubjectKeys(new InMemoryKeyStore(), keys).seal('acme', 'q-unknown', 'unknown');
    await writer.erase('acme', ['q-gone']);
    pool = new PayloadOpeningPool(new SubjectKeys(store, keys));
    const results = await pool.openAll([
      { tenant: 'acme', subject: 'q-kept', sealed: kept },
      { tenant: 'acme', subject: 'q-gone', sealed: gone },
      { tenant: 'acme', subject: 'q-kept', sealed: moved },
      { tenant: 'acme', subject: 'q-unknown', sealed: unknown },
      { tenant: 'acme', subject: 'q-kept', sealed: 'AAAA' },
      { tenant: 'acme', subject: 'q-kept', sealed: `${kept.slice(0, 8)} ${kept.slice(8)}` },
      { tenant: 'acme', subject: 'q-kept', sealed: kept },
    ]);
    expect(results.map((result) => result.status)).toEqual(['open', 'erased', 'unreadable', 'unreadable', 'unreadable', 'unreadable', 'open']);
    // What opens after payloads that did not is still its own.
    expect(results[6]).toEqual({ status: 'open', value: 'kept' });
    expect(results[2]).toEqual({ status: 'unreadable', reason: expect.stringMatching(/does not authenticate/) });
    expect(results[3]).toEqual({ status: 'unreadable', reason: expect.stringMatching(/no data key for acme\/q-unknown/) });
  });

  it('answers erased once a subject is erased, even when its key is already on the thread', async () => {
    const sealed = await writer.seal('acme', 't-1', 'before');
    pool = new PayloadOpeningPool(new SubjectKeys(store, keys));
    expect(await pool.openAll([{ tenant: 'acme', subject: 't-1', sealed }])).toEqual([{ status: 'open', value: 'before' }]);
    // Erased by another process: the pool's own process holds nothing that says so.
    await new SubjectKeys(store, keys).erase('acme', ['t-1']);
    expect(await pool.openAll([{ tenant: 'acme', subject: 't-1', sealed }])).toEqual([{ status: 'erased' }]);
  });

  it('answers unreadable for a key wrapped under a master key it was not given', async () => {
    const sealed = await writer.seal('acme', 'u-1', 'secret');
    pool = new PayloadOpeningPool(new SubjectKeys(store, masterKeys(generateMasterKey())));
    expect(await pool.openAll([{ tenant: 'acme', subject: 'u-1', sealed }])).toEqual([
      { status: 'unreadable', reason: expect.stringMatching(/master key [0-9a-f]{8}, which is not configured/) },
    ]);
  });

  it('keeps opening correctly when a thread has to drop the keys it holds', async () => {
    const items = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => ({ tenant: 'acme', subject: `r-${i}`, sealed: await writer.seal('acme', `r-${i}`, i) })),
    );
    pool = new PayloadOpeningPool(new SubjectKeys(store, keys), { keysPerThread: 25 });
    for (let start = 0; start < 60; start += 20) {
      const page = items.slice(start, start + 20);
      expect(await pool.openAll(page)).toEqual(page.map((_, i) => ({ status: 'open', value: start + i })));
    }
  });

  it('refuses pages once closed', async () => {
    pool = new PayloadOpeningPool(new SubjectKeys(store, keys));
    const sealed = await writer.seal('acme', 's-1', 1);
    await pool.close();
    await expect(pool.openAll([{ tenant: 'acme', subject: 's-1', sealed }])).rejects.toThrow(/closed/);
  });
});
