import { generateMasterKey, masterKeys, parseMasterKey } from './master-keys';

describe('master keys', () => {
  it('parses 32 bytes of base64 and derives a stable id that is not the key', () => {
    const text = Buffer.alloc(32, 7).toString('base64');
    const key = parseMasterKey('CDS_MASTER_KEY', text);
    expect(key.secret).toEqual(Buffer.alloc(32, 7));
    expect(parseMasterKey('CDS_MASTER_KEY', ` ${text}\n`).id).toBe(key.id);
    expect(generateMasterKey().id).not.toBe(key.id);
  });

  it('says which setting is wrong and why', () => {
    expect(() => parseMasterKey('CDS_MASTER_KEY', 'not base64 at all!')).toThrow(/CDS_MASTER_KEY must be base64/);
    expect(() => parseMasterKey('CDS_MASTER_KEY_PREVIOUS', Buffer.alloc(16).toString('base64'))).toThrow(
      /CDS_MASTER_KEY_PREVIOUS must be 32 random bytes in base64, got 16 bytes/,
    );
    expect(() => parseMasterKey('CDS_MASTER_KEY', '')).toThrow(/CDS_MASTER_KEY/);
  });

  it('keeps a previous key that is the current one only once', () => {
    const current = generateMasterKey();
    const old = generateMasterKey();
    expect(masterKeys(current, [current, old, old]).previous).toEqual([old]);
  });
});
