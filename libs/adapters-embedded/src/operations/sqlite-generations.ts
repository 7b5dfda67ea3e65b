import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_GENERATION,
  GenerationConflictError,
  GenerationHandle,
  GenerationsState,
  ReadModelGenerations,
} from '@cds/application';
import { openSqlite, SqliteDatabase } from '../read-model/sqlite-database';
import { SqliteProjectionDeadLetters } from '../read-model/sqlite-dead-letters';
import { SqliteProfileReadModel } from '../read-model/sqlite-read-model';

const POINTER_FILE = 'generations.db';
const GENERATION_FILE = /^generation-([a-z0-9-]+)\.db(-wal|-shm)?$/;
const generationFile = (directory: string, id: string) => join(directory, `generation-${id}.db`);

/**
 * How long a generation switched away from stays open: readers move to the new one at their
 * next look at the pointer (every second), and whatever they started on the old one finishes.
 * Then its files are deleted, erased profiles and all.
 */
const RETIRE_AFTER_MS = 5_000;

interface PointerRow {
  active: string;
  building: string | null;
  previous: string | null;
  switched_at: string | null;
  counter: number;
}

interface SqliteGenerationHandle extends GenerationHandle {
  readModel: SqliteProfileReadModel;
}

/**
 * Read-model generations of the embedded default, on disk under one directory: a SQLite file per
 * generation and a small pointer database naming the active one and the one being built. A
 * rebuild fills a fresh file while the active one serves, and the pointer moves by compare-and-set
 * in a transaction. A new generation indexes the attribute paths lists filter on as they are
 * first asked for.
 */
export class SqliteReadModelGenerations implements ReadModelGenerations {
  private readonly handles = new Map<string, SqliteGenerationHandle>();
  private readonly retiring = new Map<string, { handle: SqliteGenerationHandle; timer: NodeJS.Timeout }>();

  private constructor(
    readonly directory: string,
    private readonly pointer: SqliteDatabase,
  ) {}

  static open(directory: string): SqliteReadModelGenerations {
    mkdirSync(directory, { recursive: true });
    const pointer = openSqlite(join(directory, POINTER_FILE));
    pointer.exec(`
      CREATE TABLE IF NOT EXISTS pointer (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        active TEXT NOT NULL, building TEXT, previous TEXT, switched_at TEXT, counter INTEGER NOT NULL
      );
      INSERT OR IGNORE INTO pointer (id, active, building, previous, switched_at, counter) VALUES (1, '${DEFAULT_GENERATION}', NULL, NULL, NULL, 1);
    `);
    const generations = new SqliteReadModelGenerations(directory, pointer);
    generations.removeUnusedFiles();
    return generations;
  }

  async state(): Promise<GenerationsState> {
    const row = this.read();
    return { active: row.active, building: row.building, previous: row.previous, switchedAt: row.switched_at };
  }

  async open(id: string): Promise<GenerationHandle> {
    return this.handleOf(id);
  }

  async beginBuild(options: { fresh: boolean }): Promise<{ id: string; resumed: boolean }> {
    const row = this.read();
    if (row.building !== null && !options.fresh) return { id: row.building, resumed: true };
    if (row.building !== null) this.drop(row.building);
    const counter = row.counter + 1;
    const id = `g${counter}`;
    this.deleteFiles(id);
    this.pointer.prepare('UPDATE pointer SET building = ?, counter = ? WHERE id = 1').run(id, counter);
    return { id, resumed: false };
  }

  async activate(id: string, expectedActive: string, at: string): Promise<void> {
    const previous = this.pointer.transaction(() => {
      const row = this.read();
      this.assertSwitchable(row, id, expectedActive);
      this.pointer.prepare('UPDATE pointer SET active = ?, building = NULL, previous = ?, switched_at = ? WHERE id = 1').run(id, row.active, at);
      return row.active;
    })();
    this.retire(previous);
  }

  async close(): Promise<void> {
    for (const [id, { handle, timer }] of this.retiring) {
      clearTimeout(timer);
      await handle.readModel.close();
      this.deleteFiles(id);
    }
    this.retiring.clear();
    for (const handle of this.handles.values()) await handle.readModel.close();
    this.handles.clear();
    if (this.pointer.open) this.pointer.close();
  }

  private read(): PointerRow {
    return this.pointer.prepare('SELECT active, building, previous, switched_at, counter FROM pointer WHERE id = 1').get() as PointerRow;
  }

  private assertSwitchable(row: PointerRow, id: string, expectedActive: string): void {
    if (row.active !== expectedActive || row.building !== id) {
      throw new GenerationConflictError(
        `Cannot switch to ${id}: active is ${row.active} (expected ${expectedActive}), building is ${String(row.building)}`,
      );
    }
  }

  private async handleOf(id: string): Promise<SqliteGenerationHandle> {
    let handle = this.handles.get(id);
    if (handle !== undefined) return handle;
    const row = this.read();
    if (id !== row.active && id !== row.building) throw new GenerationConflictError(`Generation ${id} is neither active nor being built`);
    const db = openSqlite(generationFile(this.directory, id));
    handle = { id, readModel: new SqliteProfileReadModel(db), deadLetters: new SqliteProjectionDeadLetters(db) };
    this.handles.set(id, handle);
    return handle;
  }

  /** Closes and deletes a generation after the grace period readers need to move off it. */
  private retire(id: string): void {
    const handle = this.handles.get(id);
    this.handles.delete(id);
    if (handle === undefined) {
      this.deleteFiles(id);
      return;
    }
    const timer = setTimeout(() => {
      this.retiring.delete(id);
      void handle.readModel.close().then(() => this.deleteFiles(id));
    }, RETIRE_AFTER_MS);
    timer.unref();
    this.retiring.set(id, { handle, timer });
  }

  /** An abandoned build: nothing reads it. */
  private drop(id: string): void {
    const handle = this.handles.get(id);
    this.handles.delete(id);
    void handle?.readModel.close();
    this.deleteFiles(id);
  }

  private deleteFiles(id: string): void {
    const file = generationFile(this.directory, id);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }

  /** Files of generations that are neither active nor being built: left by a crash during a switch. */
  private removeUnusedFiles(): void {
    const row = this.read();
    for (const name of readdirSync(this.directory)) {
      const id = GENERATION_FILE.exec(name)?.[1];
      if (id !== undefined && id !== row.active && id !== row.building) rmSync(join(this.directory, name), { force: true });
    }
  }
}
