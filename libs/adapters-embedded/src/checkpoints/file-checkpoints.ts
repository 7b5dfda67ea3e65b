import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CheckpointFencedError, CheckpointStore, LogPosition } from '@cds/application';

type Saved = Record<string, { position: LogPosition; token: number }>;

/**
 * Checkpoints of in-process log followers (the unifier) in one small file of the data directory,
 * replaced atomically on every save (written beside it, flushed, renamed, directory flushed), so a
 * crash leaves either the old or the new file, never a torn one.
 */
export class FileCheckpoints implements CheckpointStore {
  private saved: Saved = {};
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static async open(directory: string): Promise<FileCheckpoints> {
    await fsp.mkdir(directory, { recursive: true });
    const store = new FileCheckpoints(path.join(directory, 'checkpoints.json'));
    try {
      store.saved = JSON.parse(await fsp.readFile(store.file, 'utf8')) as Saved;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return store;
  }

  async load(name: string): Promise<LogPosition | null> {
    return this.saved[name]?.position ?? null;
  }

  save(name: string, position: LogPosition, fencingToken = 0): Promise<void> {
    const current = this.saved[name];
    if (current && current.token > fencingToken) return Promise.reject(new CheckpointFencedError(name));
    this.saved = { ...this.saved, [name]: { position, token: fencingToken } };
    const snapshot = JSON.stringify(this.saved);
    this.writing = this.writing.then(() => this.replace(snapshot));
    return this.writing;
  }

  private async replace(text: string): Promise<void> {
    const temporary = `${this.file}.next`;
    const handle = await fsp.open(temporary, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temporary, this.file);
    const directory = await fsp.open(path.dirname(this.file), 'r').catch(() => undefined);
    await directory?.sync().catch(() => undefined);
    await directory?.close();
  }
}
