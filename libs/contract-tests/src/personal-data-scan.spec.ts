import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binary } from 'mongodb';
import { describeFindings, scanDirectory, scanRecords } from './personal-data-scan';

describe('personal data scan', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cds-scan-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('finds a value in every file under a directory, in each form it can be written in', async () => {
    const value = 'Zoë "the" Smith';
    mkdirSync(join(directory, 'log'));
    writeFileSync(join(directory, 'plain.txt'), `name: ${value}\n`);
    writeFileSync(join(directory, 'log', 'events.log'), JSON.stringify({ data: { name: value } }));
    writeFileSync(join(directory, 'ascii.json'), '{"name":"Zo\\u00eb \\"the\\" Smith"}');
    writeFileSync(join(directory, 'wide.bin'), Buffer.from(`xx${value}xx`, 'utf16le'));
    for (const prefix of ['', 'a', 'ab']) {
      writeFileSync(join(directory, `b64-${prefix.length}.txt`), Buffer.from(`${prefix}${value} and more`).toString('base64'));
    }
    writeFileSync(join(directory, 'clean.txt'), 'nothing personal here');

    const findings = await scanDirectory(directory, [value]);
    const where = Object.fromEntries(findings.map((f) => [f.location, f.encoding]));
    expect(where).toEqual({
      'plain.txt': 'utf8',
      [join('log', 'events.log')]: 'json',
      'ascii.json': 'json-ascii',
      'wide.bin': 'utf16le',
      'b64-0.txt': 'base64@0',
      'b64-1.txt': 'base64@1',
      'b64-2.txt': 'base64@2',
    });
    expect(describeFindings(findings)).toContain(`"${value.replace(/"/g, '\\"')}" as utf8 in plain.txt at byte 6`);
  });

  it('finds binary values as bytes, hex and base64, and reports nothing where there is nothing', async () => {
    const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    writeFileSync(join(directory, 'raw'), Buffer.concat([Buffer.from('head'), key]));
    writeFileSync(join(directory, 'hex'), `key=${key.toString('hex')}`);
    writeFileSync(join(directory, 'other'), 'no key here');
    const findings = await scanDirectory(directory, [key]);
    expect(findings.map((f) => [f.location, f.encoding, f.offset])).toEqual([
      ['hex', 'hex', 4],
      ['raw', 'bytes', 4],
    ]);
    expect(await scanDirectory(directory, ['somebody@example.com'])).toEqual([]);
  });

  it('searches stored records: text, JSON documents and BSON binaries', () => {
    const key = Buffer.from('a1b2c3d4e5f60718', 'hex');
    const findings = scanRecords(
      [
        { location: 'event 1', record: { type: 'AttributePatched', data: { value: 'alice@example.com' } } },
        { location: 'event 2', record: { type: 'AttributePatched', data: { sealed: 'AQIDBAUG' } } },
        { location: 'key doc', record: { _id: 'acme/p-1', key: new Binary(key) } },
        { location: 'raw', record: Buffer.from('alice@example.com') },
      ],
      ['alice@example.com', key],
    );
    expect(findings.map((f) => [f.location, f.encoding])).toEqual([
      ['event 1', 'utf8'],
      ['key doc', 'base64@0'],
      ['raw', 'utf8'],
    ]);
  });

  it('refuses values so short they would match by chance', () => {
    expect(() => scanRecords([], ['abc'])).toThrow(RangeError);
  });
});
