import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openPersonalData } from '@cds/runtime';
import { runCli } from './cli';

/** Rotating the master key: cds rewrap-keys moves every data key under the new one, so the old can go. */
describe('cds rewrap-keys', () => {
  const oldKey = Buffer.alloc(32, 7).toString('base64');
  const newKey = Buffer.alloc(32, 9).toString('base64');
  let dataDir: string;

  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'cds-rewrap-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = async (env: Record<string, string>) => {
    const out: string[] = [];
    const code = await runCli(['rewrap-keys', '--json', '--quiet'], {
      stdout: { write: (t: string, cb?: (e?: Error | null) => void) => (out.push(t), cb?.(), true) },
      stderr: { write: () => true },
      env: { CDS_DATA_DIR: dataDir, ...env },
    });
    return { code, result: out.length ? JSON.parse(out.join('')) : null };
  };

  const sealWith = async (masterKey: string, values: Record<string, string>) => {
    const { keys, store } = await openPersonalData(loadConfig({ CDS_DATA_DIR: dataDir, CDS_MASTER_KEY: masterKey }));
    try {
      const sealed: Record<string, string> = {};
      for (const [subject, value] of Object.entries(values)) sealed[subject] = await keys.seal('acme', subject, { value });
      return sealed;
    } finally {
      await store.close();
    }
  };

  it('re-wraps the keys made under the previous master key; afterwards the new key alone opens everything', async () => {
    const sealed = await sealWith(oldKey, { 'p-1': 'one', 'p-2': 'two' });
    const rotated = await run({ CDS_MASTER_KEY: newKey, CDS_MASTER_KEY_PREVIOUS: oldKey });
    expect(rotated).toEqual({ code: 0, result: { rewrapped: 2 } });
    expect(await run({ CDS_MASTER_KEY: newKey, CDS_MASTER_KEY_PREVIOUS: oldKey })).toEqual({ code: 0, result: { rewrapped: 0 } });

    const { keys, store } = await openPersonalData(loadConfig({ CDS_DATA_DIR: dataDir, CDS_MASTER_KEY: newKey }));
    try {
      expect(await keys.open('acme', 'p-1', sealed['p-1'])).toEqual({ status: 'open', value: { value: 'one' } });
      expect(await keys.open('acme', 'p-2', sealed['p-2'])).toEqual({ status: 'open', value: { value: 'two' } });
    } finally {
      await store.close();
    }
  });

  it('fails, changing nothing, when the master key the keys were made under is not given', async () => {
    await sealWith(oldKey, { 'p-1': 'one' });
    expect((await run({ CDS_MASTER_KEY: newKey })).code).toBe(1);
  });
});
