import { DeadLetter, LogPosition, ProjectionDeadLetters } from '@cds/application';
import { SqliteDatabase } from './sqlite-database';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS dead_letters (event_id TEXT PRIMARY KEY, position INTEGER NOT NULL, letter TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS dead_letters_by_position ON dead_letters (position);
`;

/** The dead letters of one read-model generation, in its database, beside the documents. */
export class SqliteProjectionDeadLetters implements ProjectionDeadLetters {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    db.exec(SCHEMA);
    this.statements = {
      record: db.prepare('INSERT OR IGNORE INTO dead_letters (event_id, position, letter) VALUES (?, ?, ?)'),
      count: db.prepare('SELECT count(*) FROM dead_letters').pluck(),
      list: db.prepare('SELECT letter FROM dead_letters WHERE position > ? ORDER BY position LIMIT ?').pluck(),
      last: db.prepare('SELECT letter FROM dead_letters ORDER BY position DESC LIMIT 1').pluck(),
    };
  }

  async record(letter: DeadLetter): Promise<void> {
    this.statements.record.run(letter.event_id, letter.position, JSON.stringify(letter));
  }

  async count(): Promise<number> {
    return this.statements.count.get() as number;
  }

  async list(options: { after?: LogPosition; limit: number }): Promise<DeadLetter[]> {
    const texts = this.statements.list.all(options.after ?? -1, Math.max(0, options.limit)) as string[];
    return texts.map((text) => JSON.parse(text) as DeadLetter);
  }

  async last(): Promise<DeadLetter | null> {
    const text = this.statements.last.get() as string | undefined;
    return text === undefined ? null : (JSON.parse(text) as DeadLetter);
  }
}
