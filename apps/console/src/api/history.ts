/**
 * A profile's history and its state at a past point of the log.
 *
 * `GET /profiles/{id}/history` answers history items (version 1) of the profile and of everything
 * merged into it, in log order, paged; `GET /profiles/{id}?as_of=<log position>` answers the
 * profile as it was. Both shapes are the API's contract types, generated from its document.
 */
import type { HistoryItem } from '@cds/contract';
import { Api, UnifiedProfile } from './client';

export type { HistoryItem };

export interface HistoryPage {
  items: HistoryItem[];
  nextCursor?: string;
}

export const HISTORY_PAGE_SIZE = 200;

export async function fetchHistory(api: Api, profileId: string, cursor?: string): Promise<HistoryPage> {
  const query = new URLSearchParams({ page_size: String(HISTORY_PAGE_SIZE) });
  if (cursor) query.set('cursor', cursor);
  const { body } = await api.request<{ events: HistoryItem[]; next_cursor?: string | null }>('GET', `/profiles/${encodeURIComponent(profileId)}/history`, { query });
  return { items: body.events, ...(body.next_cursor ? { nextCursor: body.next_cursor } : {}) };
}

/** The exact point of an item to ask for: its log position. */
export function pointOf(item: HistoryItem): string {
  return String(item.position);
}

/** A stable key for lists: an item's log position is unique. */
export function keyOf(item: HistoryItem): string {
  return `p${item.position}`;
}

export async function fetchProfileAsOf(api: Api, profileId: string, point: string): Promise<UnifiedProfile> {
  return api.getProfile(profileId, new URLSearchParams({ as_of: point }));
}

