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
      expect(personalData).toEqual({ masterKeys: null, masterKeyFile: join(dataDir, 'master.key'), keysDatabase: null });
      const first = await resolveMasterKeys(personalData);
      expect((await resolveMasterKeys(personalData)).current.id).toBe(first.current.id);
      expect(first.previous).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('is required when processes share an EventStoreDB log, each of which would otherwise make its own', () => {
    expect(() => loadConfig({ CDS_EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false' })).toThrow(/CDS_MASTER_KEY is required with CDS_EVENTSTORE_URL/);
    expect(loadConfig({ CDS_EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false', CDS_MASTER_KEY: keyA }).personalData.masterKeys?.current.secret).toEqual(Buffer.alloc(32, 1));
  });

  it('keeps the keys in the read model\'s MongoDB database unless another one is named', () => {
    const mongo = { CDS_MONGO_URL: 'mongodb://127.0.0.1:27017', CDS_MONGO_DATABASE: 'profiles' };
    expect(loadConfig(mongo).personalData.keysDatabase).toBe('profiles');
    expect(loadConfig({ ...mongo, CDS_MONGO_KEYS_DATABASE: 'subject_keys' }).personalData.keysDatabase).toBe('subject_keys');
  });
});
