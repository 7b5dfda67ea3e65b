/**
 * How the embedded read model opens its SQLite files, and how it makes erased data unreadable.
 *
 * - WAL journal: readers and the writer of this process never block each other, and a commit is
 *   one append to the WAL. `synchronous=NORMAL` syncs the WAL at checkpoints only: a power cut may
 *   lose the last commits, which is harmless because documents and their checkpoint commit
 *   together and the projector folds the lost part of the log again.
 * - `secure_delete=ON`: content SQLite frees (a replaced document, a removed index entry, a freed
 *   page) is overwritten with zeros, so an erased profile leaves nothing in the database file.
 * - The WAL still holds the page images written before an erasure. `shredWal` checkpoints every
 *   page into the database file and truncates the WAL to zero bytes; the read model runs it after
 *   every batch that erased a profile.
 */
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** Pages of cache per connection (negative: KiB). */
const CACHE_KIB = 16 * 1024;

export function openSqlite(file: string): SqliteDatabase {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('secure_delete = ON');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Copies the WAL into the database file and truncates it to zero bytes. False when a reader still
 * holds an older snapshot (the WAL could not be emptied); the caller tries again later.
 */
export function shredWal(db: SqliteDatabase): boolean {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  return result.busy === 0;
}
