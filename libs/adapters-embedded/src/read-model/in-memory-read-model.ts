import {
  CheckpointConflictError,
  CheckpointUpdate,
  DocumentKey,
  ListPage,
  ListQuery,
  LogPosition,
  ProfileDocument,
  ProfileReadModel,
} from '@cds/application';
import { CompiledFilter, compareIds, compileFilters, matchesAll, toListPage } from '@cds/application';

/** One tenant's documents plus its profile ids in order, kept sorted lazily. */
class TenantProfiles {
  readonly documents = new Map<string, ProfileDocument>();
  private sorted: string[] = [];
  private pending: string[] = [];

  add(document: ProfileDocument): void {
    if (!this.documents.has(document.profile_id)) this.pending.push(document.profile_id);
    this.documents.set(document.profile_id, document);
  }

  /** Ids in order. New ids are sorted among themselves and merged in: O(n + k log k). */
  orderedIds(): string[] {
    if (this.pending.length > 0) {
      const fresh = this.pending.sort(compareIds);
      const merged: string[] = new Array(this.sorted.length + fresh.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < this.sorted.length && j < fresh.length) {
        merged[k++] = compareIds(this.sorted[i], fresh[j]) <= 0 ? this.sorted[i++] : fresh[j++];
      }
      while (i < this.sorted.length) merged[k++] = this.sorted[i++];
      while (j < fresh.length) merged[k++] = fresh[j++];
      this.sorted = merged;
      this.pending = [];
    }
    return this.sorted;
  }
}

/** Index of the first id strictly greater than `after`. */
function firstAfter(ids: string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(ids[mid], after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A deep copy of plain data. Not `structuredClone`: under test runners that sandbox globals it
 * returns objects of another realm, which deep-equality checks then tell apart from literals.
 */
function cloneData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneData) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = cloneData((value as Record<string, unknown>)[key]);
  return copy as T;
}

const copy = (document: ProfileDocument): ProfileDocument => cloneData(document);

/**
 * The read model of the embedded (single-process) mode: documents in memory, per tenant.
 * Documents are copied on the way in and out, so callers never share state with the store.
 */
export class InMemoryProfileReadModel implements ProfileReadModel {
  private readonly tenants = new Map<string, TenantProfiles>();
  private readonly checkpoints = new Map<string, LogPosition>();
  /** The highest fencing token that moved each checkpoint. */
  private readonly fences = new Map<string, number>();

  async getMany(tenant: string, profileIds: string[]): Promise<Map<string, ProfileDocument>> {
    const found = new Map<string, ProfileDocument>();
    const documents = this.tenants.get(tenant)?.documents;
    if (documents === undefined) return found;
    for (const id of profileIds) {
      const document = documents.get(id);
      if (document !== undefined && !found.has(id)) found.set(id, copy(document));
    }
    return found;
  }

  async get(tenant: string, profileId: string): Promise<ProfileDocument | null> {
    const document = this.tenants.get(tenant)?.documents.get(profileId);
    return document === undefined ? null : copy(document);
  }

  async applyBatch(documents: ProfileDocument[], checkpoint: CheckpointUpdate): Promise<void> {
    for (const document of documents) {
      let profiles = this.tenants.get(document.tenant);
      if (profiles === undefined) {
        profiles = new TenantProfiles();
        this.tenants.set(document.tenant, profiles);
      }
      const stored = profiles.documents.get(document.profile_id);
      if (stored === undefined || stored.position < document.position) profiles.add(copy(document));
    }
    const actual = this.checkpoints.get(checkpoint.name) ?? null;
    const fence = this.fences.get(checkpoint.name) ?? 0;
    if (actual !== checkpoint.expected || (checkpoint.fence ?? fence) < fence) {
      throw new CheckpointConflictError(checkpoint.name, checkpoint.expected, actual);
    }
    this.checkpoints.set(checkpoint.name, checkpoint.next);
    if (checkpoint.fence !== undefined) this.fences.set(checkpoint.name, checkpoint.fence);
  }

  async checkpoint(name: string): Promise<LogPosition | null> {
    return this.checkpoints.get(name) ?? null;
  }

  async list(tenant: string, query: ListQuery): Promise<ListPage> {
    const filters = compileFilters(query.filters);
    const items = this.scanLive(tenant, filters, query.pageSize, query.after);
    return toListPage(items, query.pageSize);
  }


  async scan(after: DocumentKey | undefined, limit: number): Promise<ProfileDocument[]> {
    const items: ProfileDocument[] = [];
    if (limit <= 0) return items;
    const tenants = [...this.tenants.keys()].sort(compareIds);
    for (const tenant of tenants) {
      if (after !== undefined && compareIds(tenant, after.tenant) < 0) continue;
      const profiles = this.tenants.get(tenant)!;
      const ids = profiles.orderedIds();
      const start = after !== undefined && tenant === after.tenant ? firstAfter(ids, after.profileId) : 0;
      for (let i = start; i < ids.length && items.length < limit; i++) items.push(copy(profiles.documents.get(ids[i])!));
      if (items.length >= limit) break;
    }
    return items;
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  /** Active documents matching every filter, in profile id order, after `after`. */
  private scanLive(tenant: string, filters: CompiledFilter[], limit: number, after?: string): ProfileDocument[] {
    const profiles = this.tenants.get(tenant);
    const items: ProfileDocument[] = [];
    if (profiles === undefined || limit <= 0) return items;
    const ids = profiles.orderedIds();
    for (let i = after === undefined ? 0 : firstAfter(ids, after); i < ids.length && items.length < limit; i++) {
      const document = profiles.documents.get(ids[i]);
      if (document !== undefined && document.state.status === 'active' && matchesAll(document.state, filters)) {
        items.push(copy(document));
      }
    }
    return items;
  }
}
