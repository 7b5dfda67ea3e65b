import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** Content types of what the console's build holds. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Where `npm run build` puts the console: `dist/console`. This file runs from the sources
 * (specs) or from `dist/apps/command-api/src/console` (the built service): both find it.
 */
export function defaultConsoleRoot(): string {
  const up = resolve(__dirname, '..', '..', '..', '..');
  const candidates = [join(up, 'dist', 'console'), join(up, 'console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  /** Vite names assets by content hash: they never change under one name. */
  immutable: boolean;
}

export type Lookup =
  | { kind: 'file'; file: ConsoleFile }
  | { kind: 'not_built' }
  | { kind: 'not_found' };

/**
 * Files of the built console by request path. A path without a file extension is a page of
 * the single-page app and gets index.html; a missing asset is a 404, never index.html.
 */
export class ConsoleFiles {
  private readonly root: string;

  constructor(root: string = defaultConsoleRoot()) {
    this.root = resolve(root);
  }

  async lookup(requestPath: string): Promise<Lookup> {
    const index = join(this.root, 'index.html');
    if (!(await isFile(index))) return { kind: 'not_built' };
    const relative = safeRelative(requestPath);
    if (relative === null) return { kind: 'not_found' };
    if (relative !== '') {
      const path = resolve(this.root, relative);
      if (!path.startsWith(this.root + sep)) return { kind: 'not_found' };
      if (await isFile(path)) return { kind: 'file', file: await read(path, relative.startsWith('assets/')) };
      if (extname(relative) !== '') return { kind: 'not_found' };
    }
    return { kind: 'file', file: await read(index, false) };
  }
}

/** `assets/x.js` from the wildcard; null for anything that tries to leave the root or is hidden. */
function safeRelative(requestPath: string): string | null {
  if (requestPath.includes('\0') || requestPath.includes('\\')) return null;
  const segments = requestPath.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  return segments.join('/');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function read(path: string, immutable: boolean): Promise<ConsoleFile> {
  return { body: await readFile(path), contentType: contentTypeOf(path), immutable };
}
