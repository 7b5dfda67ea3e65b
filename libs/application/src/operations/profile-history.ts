import { EventMetadata, EventStore, LogPosition, RecordedEvent } from '../ports/event-store.port';
import { profileStream } from '../streams/stream-names';
import { walkMergeChain } from '../profiles/follow-merge-chain';
import { foldStreamAsOf } from './profile-as-of';

export interface HistoryEntry {
  position: LogPosition;
  /** The profile whose stream holds the event: the survivor or one merged into it. */
  profile_id: string;
  /** The event's place in that profile's stream (0-based). */
  revision: number;
  type: string;
  /** When the log stored it (ISO 8601). */
  recorded_at: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface HistoryPage {
  /** The live profile the history is of (a merged-away id leads to its survivor). */
  profile_id: string;
  /** Its id and those of every profile merged into it, directly or through others. */
  profile_ids: string[];
  events: HistoryEntry[];
  /** Pass as `after` for the next page; null on the last page. */
  next_after: LogPosition | null;
}

export interface HistoryQuery {
  /** Exclusive: events strictly after this log position. */
  after?: LogPosition;
  pageSize: number;
}

/**
 * The events of a live profile and of everything merged into it, in log order, paged by log
 * position. Read from the log, so it is never behind. Null for a profile that does not exist
 * (or no longer does: erased, or merged into one that was).
 */
export async function readProfileHistory(store: EventStore, tenant: string, profileId: string, query: HistoryQuery): Promise<HistoryPage | null> {
  const { live: survivor } = await walkMergeChain(profileId, (id) => foldStreamAsOf(store, tenant, id), (folded) => folded.state);
  if (survivor === null) return null;
  const id = survivor.state.profile_id;

  const members = [id];
  for (const merged of survivor.state.merged_from) if (!members.includes(merged.profile_id)) members.push(merged.profile_id);
  const streams = await Promise.all(members.map((member) => store.readStream(profileStream(tenant, member))));
  const memberByStream = new Map(members.map((member) => [profileStream(tenant, member), member]));

  const after = query.after ?? -1;
  const events: RecordedEvent[] = [];
  for (const stream of streams) for (const event of stream) if (event.position > after) events.push(event);
  events.sort((a, b) => a.position - b.position);
  const page = events.slice(0, query.pageSize);
  return {
    profile_id: id,
    profile_ids: members,
    events: page.map((event) => ({
      position: event.position,
      profile_id: memberByStream.get(event.streamId) ?? event.streamId,
      revision: event.revision,
      type: event.type,
      recorded_at: event.created,
      data: event.data,
      metadata: event.metadata,
    })),
    next_after: events.length > page.length && page.length > 0 ? page[page.length - 1].position : null,
  };
}
