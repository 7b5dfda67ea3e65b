import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, resolveMasterKeys } from './cds-config';

const keyA = Buffer.alloc(32, 1).toString('base64');
const keyB = Buffer.alloc(32, 2).toString('base64');

describe('master key configuration', () => {
  it('takes the master key and the previous ones from the environment', () => {
    const { masterKeys } = loadConfig({ CDS_MASTER_KEY: keyA, CDS_MASTER_KEY_PREVIOUS: ` ${keyB} ` }).personalData;
    expect(masterKeys?.current.secret).toEqual(Buffer.alloc(32, 1));
    expect(masterKeys?.previous.map((key) => key.secret)).toEqual([Buffer.alloc(32, 2)]);
  });

  it('explains a key that is not 32 bytes of base64, naming the variable', () => {
    expect(() => loadConfig({ CDS_MASTER_KEY: 'secret' })).toThrow(ConfigError);
    expect(() => loadConfig({ CDS_MASTER_KEY: Buffer.alloc(31).toString('base64') })).toThrow(/CDS_MASTER_KEY must be 32 random bytes/);
    expect(() => loadConfig({ CDS_MASTER_KEY: keyA, CDS_MASTER_KEY_PREVIOUS: `${keyB},not base64!` })).toThrow(/CDS_MASTER_KEY_PREVIOUS must be base64/);
    expect(() => loadConfig({ CDS_MASTER_KEY_PREVIOUS: keyB })).toThrow(/needs CDS_MASTER_KEY/);
  });

  it('generates one into the data directory when none is configured, and keeps it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cds-config-'));
    try {
      const { personalData } = loadConfig({ CDS_DATA_DIR: dataDir });
      expect(personalData).toEqual({ masterKeys: null, masterKeyFile: join(dataDir, 'master.key') });
      const first = await resolveMasterKeys(personalData);
      expect((await resolveMasterKeys(personalData)).current.id).toBe(first.current.id);
      expect(first.previous).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
