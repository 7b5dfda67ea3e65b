import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import { createFileOnce } from './create-file-once';

describe('a file made once for every process on a directory', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cds-once-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('is made by the first call, readable by its owner only, and read back by every later one', () => {
    const file = join(directory, 'nested', 'issuer.key');
    expect(createFileOnce(file, 'first')).toBe('first');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(createFileOnce(file, 'second')).toBe('first');
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(readdirSync(join(directory, 'nested'))).toEqual(['issuer.key']);
  });

  it('gives processes starting together one content, never a half-written file', async () => {
    // The function as the service runs it, in eight processes released at the same moment.
    const source = readFileSync(join(__dirname, 'create-file-once.ts'), 'utf8');
    const module = join(directory, 'create-file-once.js');
    writeFileSync(module, transformSync(source, { filename: 'create-file-once.ts', module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }).code);
    const go = join(directory, 'go');
    const file = join(directory, 'data', 'admin.token');
    const child = `
      const { existsSync } = require('node:fs');
      const { createFileOnce } = require(${JSON.stringify(module)});
      while (!existsSync(${JSON.stringify(go)})) {}
      process.stdout.write(createFileOnce(${JSON.stringify(file)}, 'content of process ' + process.pid + ' '.repeat(100000)).trim());
    `;
    const runs = Array.from({ length: 8 }, () => {
      const proc = spawn(process.execPath, ['-e', child]);
      let out = '';
      proc.stdout.on('data', (chunk) => (out += chunk));
      return new Promise<string>((resolve, reject) => proc.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`)))));
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(go, '');
    const seen = await Promise.all(runs);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toMatch(/^content of process \d+$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(seen[0]);
    expect(readdirSync(join(directory, 'data'))).toEqual(['admin.token']);
  });
});
