import { assertNever, JsonValue, MergeReason, ProfileEvent, WriteSource } from '@cds/domain';
import { EventStore, LogPosition, RecordedEvent } from '../ports/event-store.port';
import { decodeProfileEvent } from '../streams/event-codec';
import { profileStream } from '../streams/stream-names';
import { walkMergeChain } from '../profiles/follow-merge-chain';
import { foldStreamAsOf } from './profile-as-of';

/**
 * One entry of a profile's history as the API answers it (version 1). Stored events are not the
 * public API: each is mapped here to a stable item, so the log's shape may change without
 * changing what clients read. A new field may be added to an item; a field is never renamed or
 * removed, nor its meaning changed, without a new version.
 */
export type HistoryItem = HistoryItemCommon & HistoryItemFacts;

export const HISTORY_ITEM_VERSION = 1;

interface HistoryItemCommon {
  version: typeof HISTORY_ITEM_VERSION;
  /** The event's position in the log: pass it as `as_of` to see the profile right after it. */
  position: LogPosition;
  /** The profile whose stream holds the event: the survivor or one merged into it. */
  profile_id: string;
  /** The event's place in that profile's stream (0-based). */
  revision: number;
  /** When the log stored it (ISO 8601). */
  recorded_at: string;
  /** When it happened, as the service decided it (ISO 8601). */
  at: string;
}

export type HistoryItemFacts =
  | { type: 'profile_created'; tracking_consent: boolean }
  | { type: 'attributes_written'; source: WriteSource; writes: HistoryWrite[]; addressed_to?: string }
  | { type: 'user_id_stamped'; user_id: string }
  | ({ type: 'merged_away'; survivor_id: string } & HistoryMerge)
  | ({ type: 'profile_merged_in'; merged_profile_id: string; saturated?: string[] } & HistoryMerge)
  | { type: 'profile_erased' }
  | { type: 'merge_requested'; other_profile_id: string }
  | { type: 'unmerge_requested'; merged_profile_id: string }
  | { type: 'profile_split_off'; merged_profile_id: string; writes_returned: number }
  | { type: 'profile_restored'; survivor_id: string; writes_returned: number; user_id_cancelled: boolean }
  | { type: 'merge_blocked'; other_profile_id: string; rule_name: string; reason: 'kept_apart' | 'max_profiles' }
  | { type: 'tracker_released' };

export type HistoryItemType = HistoryItemFacts['type'];

export interface HistoryWrite {
  /** `traits.interests`, `identity_attributes.email`, `application_data.cart`. */
  attribute_name: string;
  /** application_data only: the application's client id. */
  application_identifier?: string;
  /** The value written; null when the write cleared the attribute. */
  value: JsonValue;
}

export interface HistoryMerge {
  /** A shared user_id, a unification rule (then named), or someone merging them by hand. */
  reason: 'user_id' | 'rule' | 'manual';
  rule_name?: string;
  /** Which side started the merge: the survivor or the profile merged into it. */
  triggered_by: 'survivor' | 'merged';
}

/** The history item of a stored profile event. */
export function toHistoryItem(recorded: RecordedEvent, profileId: string): HistoryItem {
  const event = decodeProfileEvent(recorded);
  return {
    version: HISTORY_ITEM_VERSION,
    position: recorded.position,
    profile_id: profileId,
    revision: recorded.revision,
    recorded_at: recorded.created,
    at: event.data.at,
    ...factsOf(event),
  };
}

function factsOf(event: ProfileEvent): HistoryItemFacts {
  switch (event.type) {
    case 'ProfileCreated':
      return { type: 'profile_created', tracking_consent: event.data.tracking_consent };
    case 'AttributePatched':
      return {
        type: 'attributes_written',
        source: event.data.source,
        ...(event.data.addressed_id !== undefined ? { addressed_to: event.data.addressed_id } : {}),
        writes: event.data.writes.map((write) => ({
          attribute_name: `${write.scope}.${write.attribute}`,
          ...(write.application_id !== undefined ? { application_identifier: write.application_id } : {}),
          value: write.value,
        })),
      };
    case 'UserStamped':
      return { type: 'user_id_stamped', user_id: event.data.user_id };
    case 'ProfileMergedAway':
      return { type: 'merged_away', survivor_id: event.data.survivor_id, ...mergeOf(event.data.reason, event.data.triggered_by) };
    case 'ProfilesMerged':
      return {
        type: 'profile_merged_in',
        merged_profile_id: event.data.merged_profile_id,
        ...mergeOf(event.data.reason, event.data.triggered_by),
        ...(event.data.saturated?.length ? { saturated: event.data.saturated } : {}),
      };
    case 'ProfileDeleted':
      return { type: 'profile_erased' };
    case 'MergeRequested':
      return { type: 'merge_requested', other_profile_id: event.data.other_profile_id };
    case 'UnmergeRequested':
      return { type: 'unmerge_requested', merged_profile_id: event.data.merged_profile_id };
    case 'ProfileUnmerged':
      // The merge itself is one of the excluded events; the rest are the writes that went back.
      return { type: 'profile_split_off', merged_profile_id: event.data.merged_profile_id, writes_returned: event.data.excluded_revisions.length - 1 };
    case 'ProfileRestored':
      return {
        type: 'profile_restored',
        survivor_id: event.data.survivor_id,
        writes_returned: event.data.transferred_revisions.length,
        user_id_cancelled: event.data.user_stamp_cancelled,
      };
    case 'MergeBlocked':
      return { type: 'merge_blocked', other_profile_id: event.data.other_profile_id, rule_name: event.data.rule_name, reason: event.data.reason };
    case 'TrackerReleased':
      return { type: 'tracker_released' };
    default:
      return assertNever(event);
  }
}

function mergeOf(reason: MergeReason, triggeredBy: 'survivor' | 'merged'): HistoryMerge {
  switch (reason.kind) {
    case 'user_id':
      return { reason: 'user_id', triggered_by: triggeredBy };
    case 'rule':
      return { reason: 'rule', rule_name: reason.rule_name, triggered_by: triggeredBy };
    case 'manual':
      return { reason: 'manual', triggered_by: triggeredBy };
    default:
      return assertNever(reason);
  }
}

export interface HistoryPage {
  /** The live profile the history is of (a merged-away id leads to its survivor). */
  profile_id: string;
  /** Its id and those of every profile merged into it, directly or through others. */
  profile_ids: string[];
  events: HistoryItem[];
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
    events: page.map((event) => toHistoryItem(event, memberByStream.get(event.streamId) ?? event.streamId)),
    next_after: events.length > page.length && page.length > 0 ? page[page.length - 1].position : null,
  };
}
