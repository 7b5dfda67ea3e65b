import {
  CheckpointConflictError,
  CheckpointUpdate,
  compileFilters,
  DocumentKey,
  ListPage,
  ListQuery,
  LogPosition,
  matchesAll,
  ProfileDocument,
  ProfileReadModel,
  toListPage,
} from '@cds/application';
import { assertNever, ProfileState } from '@cds/domain';
import { candidateSource, CandidateSource, indexEntriesOf } from './attribute-index';
import { shredWal, SqliteDatabase } from './sqlite-database';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS profiles (
    tenant TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (tenant, profile_id)
  );
  CREATE TABLE IF NOT EXISTS attribute_values (
    tenant TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- No declared type: strings stay strings and numbers numbers, so '34' and 34 never meet.
    value NOT NULL,
    profile_id TEXT NOT NULL,
    PRIMARY KEY (tenant, path, kind, value, profile_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS attribute_values_of_profile ON attribute_values (tenant, profile_id);
  CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Candidates fetched per round while a page fills up. */
const CANDIDATE_ROUND = 200;

interface DocumentRow {
  profile_id: string;
  position: number;
  state: string;
}

type ScannedRow = DocumentRow & { tenant: string };

/** Documents read per round while the attribute index is built. */
const INDEX_BUILD_PAGE = 1000;

/** Whether writes keep the attribute index, or leave it to be built in one pass at the end of a rebuild. */
export type AttributeIndexing = 'maintained' | 'deferred';

/**
 * The read model of the embedded default, in one SQLite database: documents as JSON text keyed by
 * (tenant, profile_id), an index of the active profiles' attribute values for list filters, and
 * the projectors' checkpoints, moved in the same transaction as the documents they cover.
 * Nothing is held in process memory beyond SQLite's page cache.
 */
export class SqliteProfileReadModel implements ProfileReadModel {
  private readonly statements;
  private indexing: AttributeIndexing;
  /** An erasure whose WAL could not be emptied yet (a reader held an old snapshot). */
  private shredPending = false;

  constructor(
    private readonly db: SqliteDatabase,
    options: { indexing?: AttributeIndexing } = {},
  ) {
    db.exec(SCHEMA);
    this.statements = prepare(db);
    const stored = this.statements.getSetting.pluck().get('attribute_index') as AttributeIndexing | undefined;
    this.indexing = stored ?? options.indexing ?? 'maintained';
    if (stored === undefined) this.statements.setSetting.run('attribute_index', this.indexing);
  }

  async getMany(tenant: string, profileIds: string[]): Promise<Map<string, ProfileDocument>> {
    const found = new Map<string, ProfileDocument>();
    for (const id of profileIds) {
      if (found.has(id)) continue;
      const row = this.statements.getDocument.get(tenant, id) as DocumentRow | undefined;
      if (row) found.set(id, toDocument(tenant, row));
    }
    return found;
  }

  async get(tenant: string, profileId: string): Promise<ProfileDocument | null> {
    const row = this.statements.getDocument.get(tenant, profileId) as DocumentRow | undefined;
    return row ? toDocument(tenant, row) : null;
  }

  async applyBatch(documents: ProfileDocument[], checkpoint: CheckpointUpdate): Promise<void> {
    const erased = this.write(documents, checkpoint);
    if (erased || this.shredPending) this.shredPending = !shredWal(this.db);
  }

  async checkpoint(name: string): Promise<LogPosition | null> {
    return (this.statements.getCheckpoint.pluck().get(name) as number | undefined) ?? null;
  }

  async list(tenant: string, query: ListQuery): Promise<ListPage> {
    const filters = compileFilters(query.filters);
    const source = candidateSource(filters, this.indexing === 'maintained');
    const items: ProfileDocument[] = [];
    let after = query.after ?? '';
    while (items.length < query.pageSize) {
      const rows = this.candidates(tenant, source, after, CANDIDATE_ROUND);
      for (const row of rows) {
        const document = toDocument(tenant, row);
        if (matchesAll(document.state, filters)) items.push(document);
        if (items.length === query.pageSize) break;
      }
      if (rows.length < CANDIDATE_ROUND) break;
      after = rows[rows.length - 1].profile_id;
    }
    return toListPage(items, query.pageSize);
  }

  async scan(after: DocumentKey | undefined, limit: number): Promise<ProfileDocument[]> {
    if (limit <= 0) return [];
    const rows = (
      after === undefined ? this.statements.scanFromStart.all(limit) : this.statements.scanAfter.all(after.tenant, after.profileId, limit)
    ) as ScannedRow[];
    return rows.map((row) => toDocument(row.tenant, row));
  }

  /**
   * Fills the attribute index of a read model written with indexing deferred (a rebuild's new
   * generation), in one pass, and keeps it maintained from then on.
   */
  async buildAttributeIndex(): Promise<void> {
    if (this.indexing === 'maintained') return;
    const s = this.statements;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM attribute_values');
      // Paged by key: one connection cannot write while a statement of it is still reading.
      let rows = s.scanFromStart.all(INDEX_BUILD_PAGE) as ScannedRow[];
      while (rows.length > 0) {
        for (const row of rows) {
          for (const entry of indexEntriesOf(JSON.parse(row.state) as ProfileState)) {
            s.insertEntry.run(row.tenant, entry.path, entry.kind, entry.value, row.profile_id);
          }
        }
        const last = rows[rows.length - 1];
        rows = s.scanAfter.all(last.tenant, last.profile_id, INDEX_BUILD_PAGE) as ScannedRow[];
      }
      s.setSetting.run('attribute_index', 'maintained');
    })();
    this.indexing = 'maintained';
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Documents (position-guarded) and the checkpoint in one transaction; true when one was erased. */
  private write(documents: ProfileDocument[], checkpoint: CheckpointUpdate): boolean {
    const s = this.statements;
    const maintained = this.indexing === 'maintained';
    let erased = false;
    this.db.transaction(() => {
      const actual = (s.getCheckpoint.pluck().get(checkpoint.name) as number | undefined) ?? null;
      if (actual !== checkpoint.expected) throw new CheckpointConflictError(checkpoint.name, checkpoint.expected, actual);
      for (const { tenant, profile_id, position, state } of documents) {
        const active = state.status === 'active' ? 1 : 0;
        const { changes } = s.upsertDocument.run(tenant, profile_id, position, active, JSON.stringify(state));
        if (changes === 0) continue;
        if (state.status === 'deleted') erased = true;
        if (!maintained) continue;
        s.deleteEntries.run(tenant, profile_id);
        for (const entry of indexEntriesOf(state)) s.insertEntry.run(tenant, entry.path, entry.kind, entry.value, profile_id);
      }
      s.setCheckpoint.run(checkpoint.name, checkpoint.next);
    })();
    return erased;
  }

  /** Active profiles after `after` in profile id order, narrowed by `source`; at most `limit`. */
  private candidates(tenant: string, source: CandidateSource, after: string, limit: number): DocumentRow[] {
    const s = this.statements;
    switch (source.kind) {
      case 'nothing':
        return [];
      case 'profile':
        return source.profileId > after ? (s.activeDocument.all(tenant, source.profileId) as DocumentRow[]) : [];
      case 'exact':
        return s.byEntry.all(tenant, source.entry.path, source.entry.kind, source.entry.value, after, limit) as DocumentRow[];
      case 'prefix':
        return s.byPrefix.all(tenant, after, tenant, source.path, source.from, source.to, limit) as DocumentRow[];
      case 'contains':
        return s.containing.all(tenant, after, source.text, limit) as DocumentRow[];
      case 'all':
        return s.active.all(tenant, after, limit) as DocumentRow[];
      default:
        return assertNever(source);
    }
  }
}

const toDocument = (tenant: string, row: DocumentRow): ProfileDocument => ({
  tenant,
  profile_id: row.profile_id,
  state: JSON.parse(row.state) as ProfileState,
  position: row.position,
});

function prepare(db: SqliteDatabase) {
  const columns = 'p.profile_id, p.position, p.state';
  return {
    getDocument: db.prepare('SELECT profile_id, position, state FROM profiles WHERE tenant = ? AND profile_id = ?'),
    upsertDocument: db.prepare(
      `INSERT INTO profiles (tenant, profile_id, position, active, state) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant, profile_id) DO UPDATE SET position = excluded.position, active = excluded.active, state = excluded.state
       WHERE excluded.position > profiles.position`,
    ),
    deleteEntries: db.prepare('DELETE FROM attribute_values WHERE tenant = ? AND profile_id = ?'),
    insertEntry: db.prepare('INSERT OR IGNORE INTO attribute_values (tenant, path, kind, value, profile_id) VALUES (?, ?, ?, ?, ?)'),
    getCheckpoint: db.prepare('SELECT position FROM checkpoints WHERE name = ?'),
    setCheckpoint: db.prepare('INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position'),
    getSetting: db.prepare('SELECT value FROM settings WHERE name = ?'),
    setSetting: db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    activeDocument: db.prepare('SELECT profile_id, position, state FROM profiles WHERE tenant = ? AND profile_id = ? AND active = 1'),
    active: db.prepare(
      `SELECT profile_id, position, state FROM profiles WHERE tenant = ? AND profile_id > ? AND active = 1 ORDER BY profile_id LIMIT ?`,
    ),
    containing: db.prepare(
      `SELECT profile_id, position, state FROM profiles
       WHERE tenant = ? AND profile_id > ? AND active = 1 AND instr(state, ?) > 0 ORDER BY profile_id LIMIT ?`,
    ),
    byEntry: db.prepare(
      `SELECT ${columns} FROM attribute_values v JOIN profiles p ON p.tenant = v.tenant AND p.profile_id = v.profile_id
       WHERE v.tenant = ? AND v.path = ? AND v.kind = ? AND v.value = ? AND v.profile_id > ? AND p.active = 1
       ORDER BY v.profile_id LIMIT ?`,
    ),
    byPrefix: db.prepare(
      `SELECT ${columns} FROM profiles p
       WHERE p.tenant = ? AND p.profile_id > ? AND p.active = 1 AND p.profile_id IN (
         SELECT v.profile_id FROM attribute_values v WHERE v.tenant = ? AND v.path = ? AND v.kind = 's' AND v.value >= ? AND v.value < ?)
       ORDER BY p.profile_id LIMIT ?`,
    ),
    scanFromStart: db.prepare('SELECT tenant, profile_id, position, state FROM profiles ORDER BY tenant, profile_id LIMIT ?'),
    scanAfter: db.prepare(
      'SELECT tenant, profile_id, position, state FROM profiles WHERE (tenant, profile_id) > (?, ?) ORDER BY tenant, profile_id LIMIT ?',
    ),
  };
}
