import { ProfileState } from '@cds/domain';
import { entriesAt, entryKey, IndexEntry } from './attribute-index';
import { SqliteDatabase } from './sqlite-database';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS attribute_values (
    tenant TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- No declared type: strings stay strings and numbers numbers, so '34' and 34 never meet.
    value NOT NULL,
    profile_id TEXT NOT NULL,
    PRIMARY KEY (tenant, path, kind, value, profile_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS indexed_paths (tenant TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (tenant, path)) WITHOUT ROWID;
`;

/** Profiles read per round while a path is indexed; the event loop runs between rounds. */
const BUILD_PAGE = 500;

/**
 * The entries of the attribute paths that list queries filter on, tenant by tenant. A path is
 * indexed the first time a query narrows by it (in rounds, so the service keeps answering
 * meanwhile), and from then on every write keeps its entries, by the difference between the
 * stored version of a profile and the new one. Writes to a tenant nobody lists by attribute cost
 * nothing here, and a rebuild writes documents only.
 */
export class SqliteAttributeIndex {
  /** Per tenant, the paths whose entries writes keep: ready, or being built. */
  private readonly paths = new Map<string, Map<string, Promise<void> | 'ready'>>();
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(SCHEMA);
    this.statements = {
      insert: db.prepare('INSERT OR IGNORE INTO attribute_values (tenant, path, kind, value, profile_id) VALUES (?, ?, ?, ?, ?)'),
      delete: db.prepare('DELETE FROM attribute_values WHERE tenant = ? AND path = ? AND kind = ? AND value = ? AND profile_id = ?'),
      clearPath: db.prepare('DELETE FROM attribute_values WHERE tenant = ? AND path = ?'),
      markReady: db.prepare('INSERT OR IGNORE INTO indexed_paths (tenant, path) VALUES (?, ?)'),
      ready: db.prepare('SELECT tenant, path FROM indexed_paths'),
      page: db.prepare('SELECT profile_id, state FROM profiles WHERE tenant = ? AND active = 1 AND profile_id > ? ORDER BY profile_id LIMIT ?'),
    };
    for (const { tenant, path } of this.statements.ready.all() as Array<{ tenant: string; path: string }>) this.pathsOf(tenant).set(path, 'ready');
  }

  /** True when writes to this tenant's profiles must keep entries. */
  covers(tenant: string): boolean {
    return (this.paths.get(tenant)?.size ?? 0) > 0;
  }

  /** Within a write's transaction: the entries the new version of a profile adds and drops. */
  update(tenant: string, profileId: string, before: ProfileState | undefined, after: ProfileState): void {
    for (const path of this.paths.get(tenant)?.keys() ?? []) {
      const old = before === undefined ? [] : entriesAt(before, path);
      const next = entriesAt(after, path);
      const kept = new Set(next.map(entryKey));
      const had = new Set<string>();
      for (const entry of old) {
        const key = entryKey(entry);
        had.add(key);
        if (!kept.has(key)) this.statements.delete.run(tenant, path, entry.kind, entry.value, profileId);
      }
      for (const entry of next) if (!had.has(entryKey(entry))) this.insert(tenant, path, entry, profileId);
    }
  }

  /** Resolves once the path's entries are complete; the first call builds them. */
  ensure(tenant: string, path: string): Promise<void> {
    const paths = this.pathsOf(tenant);
    const known = paths.get(path);
    if (known === 'ready') return Promise.resolve();
    if (known !== undefined) return known;
    const building = this.build(tenant, path).then(
      () => void paths.set(path, 'ready'),
      (error: unknown) => {
        paths.delete(path);
        throw error;
      },
    );
    // From here on writes keep this path's entries, also for profiles the build has not reached.
    paths.set(path, building);
    return building;
  }

  private async build(tenant: string, path: string): Promise<void> {
    const s = this.statements;
    s.clearPath.run(tenant, path);
    let after = '';
    for (;;) {
      const done = this.db.transaction(() => {
        const rows = s.page.all(tenant, after, BUILD_PAGE) as Array<{ profile_id: string; state: string }>;
        for (const row of rows) for (const entry of entriesAt(JSON.parse(row.state) as ProfileState, path)) this.insert(tenant, path, entry, row.profile_id);
        if (rows.length > 0) after = rows[rows.length - 1].profile_id;
        if (rows.length < BUILD_PAGE) s.markReady.run(tenant, path);
        return rows.length < BUILD_PAGE;
      })();
      if (done) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private insert(tenant: string, path: string, entry: IndexEntry, profileId: string): void {
    this.statements.insert.run(tenant, path, entry.kind, entry.value, profileId);
  }

  private pathsOf(tenant: string): Map<string, Promise<void> | 'ready'> {
    let paths = this.paths.get(tenant);
    if (paths === undefined) {
      paths = new Map();
      this.paths.set(tenant, paths);
    }
    return paths;
  }
}
