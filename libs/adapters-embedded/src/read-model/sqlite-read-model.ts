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
import { candidateSource, CandidateSource } from './attribute-index';
import { SqliteAttributeIndex } from './sqlite-attribute-index';
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
  CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL, fence INTEGER NOT NULL DEFAULT 0);
`;

/** Candidates fetched per round while a page fills up. */
const CANDIDATE_ROUND = 200;

interface DocumentRow {
  profile_id: string;
  position: number;
  state: string;
}

type ScannedRow = DocumentRow & { tenant: string };

/**
 * The read model of the embedded default, in one SQLite database: documents as JSON text keyed by
 * (tenant, profile_id), the projectors' checkpoints (moved in the same transaction as the
 * documents they cover), and an index of the attribute values that list queries filter on.
 * Nothing is held in process memory beyond SQLite's page cache and the list of indexed paths.
 */
export class SqliteProfileReadModel implements ProfileReadModel {
  private readonly statements;
  private readonly index: SqliteAttributeIndex;
  /** An erasure whose WAL could not be emptied yet (a reader held an old snapshot). */
  private shredPending = false;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(SCHEMA);
    addFenceColumn(db);
    this.index = new SqliteAttributeIndex(db);
    this.statements = prepare(db);
  }

  async getMany(tenant: string, profileIds: string[]): Promise<Map<string, ProfileDocument>> {
    const found = new Map<string, ProfileDocument>();
    // One statement for the lot: half the cost per id of one lookup each.
    const rows = this.statements.getDocuments.all(tenant, JSON.stringify(profileIds)) as DocumentRow[];
    for (const row of rows) found.set(row.profile_id, toDocument(tenant, row));
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
    const source = candidateSource(filters);
    if (source.kind === 'exact' || source.kind === 'prefix') await this.index.ensure(tenant, source.path);
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

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Documents (position-guarded) and the checkpoint in one transaction; true when one was erased. */
  private write(documents: ProfileDocument[], checkpoint: CheckpointUpdate): boolean {
    const s = this.statements;
    let erased = false;
    this.db.transaction(() => {
      const stored = s.getFencedCheckpoint.get(checkpoint.name) as { position: number; fence: number } | undefined;
      const actual = stored?.position ?? null;
      const fence = stored?.fence ?? 0;
      // A holder of an older lease may not move it, even from the right position.
      if (actual !== checkpoint.expected || (checkpoint.fence ?? fence) < fence) {
        throw new CheckpointConflictError(checkpoint.name, checkpoint.expected, actual);
      }
      for (const document of documents) {
        const written = this.index.covers(document.tenant) ? this.writeIndexed(document) : this.writeDocument(document);
        if (written && document.state.status === 'deleted') erased = true;
      }
      s.setCheckpoint.run(checkpoint.name, checkpoint.next, checkpoint.fence ?? fence);
    })();
    return erased;
  }

  /** The document, if newer than the stored one. */
  private writeDocument({ tenant, profile_id, position, state }: ProfileDocument): boolean {
    const active = state.status === 'active' ? 1 : 0;
    return this.statements.upsertDocument.run(tenant, profile_id, position, active, JSON.stringify(state)).changes > 0;
  }

  /** The document, if newer, and the index entries it adds and drops against the stored version. */
  private writeIndexed(document: ProfileDocument): boolean {
    const { tenant, profile_id, position, state } = document;
    const stored = this.statements.getStored.get(tenant, profile_id) as { position: number; active: number; state: string } | undefined;
    if (stored !== undefined && stored.position >= position) return false;
    this.writeDocument(document);
    this.index.update(tenant, profile_id, stored?.active ? (JSON.parse(stored.state) as ProfileState) : undefined, state);
    return true;
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
        return s.byEntry.all(tenant, source.path, source.entry.kind, source.entry.value, after, limit) as DocumentRow[];
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

/** Read models written before checkpoints were fenced get the column (every fence 0: none yet). */
function addFenceColumn(db: SqliteDatabase): void {
  const columns = db.prepare('PRAGMA table_info(checkpoints)').all() as Array<{ name: string }>;
  if (!columns.some((column) => column.name === 'fence')) db.exec('ALTER TABLE checkpoints ADD COLUMN fence INTEGER NOT NULL DEFAULT 0');
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
    getDocuments: db.prepare('SELECT profile_id, position, state FROM profiles WHERE tenant = ? AND profile_id IN (SELECT value FROM json_each(?))'),
    getStored: db.prepare('SELECT position, active, state FROM profiles WHERE tenant = ? AND profile_id = ?'),
    upsertDocument: db.prepare(
      `INSERT INTO profiles (tenant, profile_id, position, active, state) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant, profile_id) DO UPDATE SET position = excluded.position, active = excluded.active, state = excluded.state
       WHERE excluded.position > profiles.position`,
    ),
    getCheckpoint: db.prepare('SELECT position FROM checkpoints WHERE name = ?'),
    getFencedCheckpoint: db.prepare('SELECT position, fence FROM checkpoints WHERE name = ?'),
    setCheckpoint: db.prepare(
      'INSERT INTO checkpoints (name, position, fence) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, fence = excluded.fence',
    ),
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
