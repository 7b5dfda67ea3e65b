import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateMasterKeyFile, MASTER_KEY_FILE } from './master-key-file';

describe('the generated master key file', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cds-master-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('is generated once, readable by its owner only, and the same key at every start', async () => {
    const file = join(directory, 'data', MASTER_KEY_FILE);
    const first = await loadOrCreateMasterKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first.secret);
    const again = await loadOrCreateMasterKeyFile(file);
    expect(again.id).toBe(first.id);
    expect(again.secret).toEqual(first.secret);
  });

  it('says which file holds a bad key rather than replacing it', async () => {
    const file = join(directory, MASTER_KEY_FILE);
    writeFileSync(file, 'short');
    await expect(loadOrCreateMasterKeyFile(file)).rejects.toThrow(`${file} must be`);
    expect(readFileSync(file, 'utf8')).toBe('short');
  });
});
