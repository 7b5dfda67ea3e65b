import { JsonValue, ProfileState } from '@cds/domain';
import { LogPosition } from './event-store.port';

/**
 * One profile's read model: the same state the command side folds, plus the log position of the
 * last event folded in (the guard that makes projection writes idempotent).
 */
export interface ProfileDocument {
  tenant: string;
  profile_id: string;
  state: ProfileState;
  position: LogPosition;
}

export type FilterOperator = 'eq' | 'co' | 'sw';

/** `traits.interests co shoe`: path is `profile_id`, `user_id`, `<scope>.<name>` or `application_data.<app>.<name>`. */
export interface ProfileFilter {
  path: string;
  operator: FilterOperator;
  /** Typed by the attribute's value type; `co` and `sw` only take strings. Matching is case-sensitive. */
  value: JsonValue;
}

export interface ListQuery {
  filters: ProfileFilter[];
  pageSize: number;
  /** profile_id after which the page starts (exclusive). Pages are in profile_id order. */
  after?: string;
}

export interface ListPage {
  items: ProfileDocument[];
  /** The last profile_id of this page when more may follow. */
  nextAfter?: string;
}

/** Where a document sits in the order every document is scanned in: tenant, then profile id. */
export interface DocumentKey {
  tenant: string;
  profileId: string;
}

export interface CheckpointUpdate {
  name: string;
  /** The checkpoint the writer read; the update fails if another writer moved it. */
  expected: LogPosition | null;
  next: LogPosition;
  /**
   * The writer's fencing token (its lease's). The checkpoint remembers the highest token that
   * moved it and refuses a move with a lower one: a writer that lost its lease cannot move it
   * any more, even if it read the right position. Absent: not checked (a single writer by design).
   */
  fence?: number;
}

export class CheckpointConflictError extends Error {
  constructor(readonly checkpointName: string, readonly expected: LogPosition | null, readonly actual: LogPosition | null) {
    super(`Checkpoint ${checkpointName}: expected ${String(expected)}, found ${String(actual)}`);
    this.name = 'CheckpointConflictError';
  }
}

export interface ProfileReadModel {
  /** Documents by id, merged-away and deleted ones included. */
  getMany(tenant: string, profileIds: string[]): Promise<Map<string, ProfileDocument>>;
  get(tenant: string, profileId: string): Promise<ProfileDocument | null>;
  /**
   * Writes documents, each only if its position is newer than the stored one, then moves the
   * checkpoint by compare-and-set (position and fencing token). No transaction: a crash in between
   * leaves documents ahead of the checkpoint, and the position guard makes the replay that follows
   * harmless. Documents need no fence: a document at a position is the same whoever folded it.
   */
  applyBatch(documents: ProfileDocument[], checkpoint: CheckpointUpdate): Promise<void>;
  checkpoint(name: string): Promise<LogPosition | null>;
  /** Live (active) profiles of a tenant matching every filter. */
  list(tenant: string, query: ListQuery): Promise<ListPage>;
  /**
   * Every document of every tenant, whatever its status, in (tenant, profile_id) order (code
   * unit order), strictly after `after`; at most `limit`. For operators: digests and exports.
   */
  scan(after: DocumentKey | undefined, limit: number): Promise<ProfileDocument[]>;
  close(): Promise<void>;
}

export const PROFILE_READ_MODEL = Symbol('ProfileReadModel');
