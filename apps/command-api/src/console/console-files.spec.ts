import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleFiles, contentTypeOf } from './console-files';

describe('console files', () => {
  let root: string;
  let files: ConsoleFiles;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cds-console-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {}');
    writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
    writeFileSync(join(root, '.hidden'), 'secret');
    files = new ConsoleFiles(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const text = async (path: string) => {
    const found = await files.lookup(path);
    return found.kind === 'file' ? { body: found.file.body.toString('utf8'), type: found.file.contentType, immutable: found.file.immutable } : found.kind;
  };

  it('serves index.html for the root and for every page of the app', async () => {
    for (const path of ['', 'attributes', 'profiles/3f1e2d3c-4b5a-4968-8776-655443322110', 'rules/']) {
      expect(await text(path)).toEqual({ body: '<!doctype html><title>console</title>', type: 'text/html; charset=utf-8', immutable: false });
    }
  });

  it('serves built assets with their content type, cacheable for good', async () => {
    expect(await text('assets/index-abc.js')).toEqual({ body: 'export {}', type: 'text/javascript; charset=utf-8', immutable: true });
    expect(await text('assets/index-abc.css')).toMatchObject({ type: 'text/css; charset=utf-8', immutable: true });
  });

  it('answers a missing asset with not found, not with the page', async () => {
    expect(await text('assets/index-gone.js')).toBe('not_found');
    expect(await text('favicon.ico')).toBe('not_found');
  });

  it('never leaves its directory or shows hidden files', async () => {
    for (const path of ['../package.json', 'assets/../../x.js', '..', '.hidden', 'a\\..\\b.js', 'x\0.js']) {
      expect(await text(path)).toBe('not_found');
    }
  });

  it('says so when the console has not been built', async () => {
    expect(await new ConsoleFiles(join(root, 'nothing-here')).lookup('')).toEqual({ kind: 'not_built' });
  });

  it('knows the content types of a web build', () => {
    expect(contentTypeOf('a.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('a.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream');
  });
});
