/**
 * A profile's history and its state at a past point of the log, behind one small seam.
 *
 * `GET /profiles/{id}/history` answers the events of the profile and of everything merged into
 * it, in log order, paged; `GET /profiles/{id}?as_of=<ISO time or log position>` answers the
 * profile as it was. Every field name of those answers is read here and nowhere else: the pages
 * see only `HistoryEvent`, `HistoryPage` and `UnifiedProfile`.
 */
import { Api, ApiError, UnifiedProfile } from './client';

export interface HistoryEvent {
  /** Stable key for lists: the log position, or the page offset when the answer has none. */
  key: string;
  /** The global log position, the exact point to ask `as_of`. */
  position: number | null;
  /** When the event was recorded (ISO 8601). */
  at: string | null;
  type: string;
  /** The profile whose stream holds the event (the survivor or one merged into it). */
  profileId: string | null;
  data: Record<string, unknown>;
}

export interface HistoryPage {
  events: HistoryEvent[];
  nextCursor?: string;
}

export const HISTORY_PAGE_SIZE = 200;

type Raw = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
};
const obj = (value: unknown): Raw => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {});

/** The profile id at the end of a stream name such as `profile-acme.<uuid>`. */
function profileOfStream(stream: string | null): string | null {
  const match = stream?.match(/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i);
  return match ? match[1].toLowerCase() : null;
}

export function normalizeEvent(raw: unknown, fallbackIndex: number): HistoryEvent {
  const event = obj(raw);
  const data = obj(event.data);
  const metadata = obj(event.metadata);
  const position = num(event.position) ?? num(event.log_position) ?? num(event.global_position);
  const type = str(event.type) ?? str(event.event_type) ?? 'Event';
  const profileId =
    str(event.profile_id) ??
    profileOfStream(str(event.stream) ?? str(event.stream_name)) ??
    (type === 'ProfilesMerged' ? str(data.survivor_id) : str(data.profile_id));
  return {
    key: position !== null ? `p${position}` : `i${fallbackIndex}`,
    position,
    at: str(event.recorded_at) ?? str(event.at) ?? str(event.occurred_at) ?? str(event.created) ?? str(event.timestamp) ?? str(data.at) ?? str(metadata.at),
    type,
    profileId,
    data,
  };
}

export function normalizeHistory(body: unknown, offset = 0): HistoryPage {
  const root = obj(body);
  const list = Array.isArray(body) ? body : Array.isArray(root.events) ? root.events : Array.isArray(root.items) ? root.items : Array.isArray(root.history) ? root.history : [];
  const pagination = obj(root.pagination);
  const nextCursor = str(pagination.next_cursor) ?? str(root.next_cursor) ?? str(root.cursor_next);
  return { events: list.map((raw, i) => normalizeEvent(raw, offset + i)), ...(nextCursor ? { nextCursor } : {}) };
}

export async function fetchHistory(api: Api, profileId: string, cursor?: string, offset = 0): Promise<HistoryPage> {
  const query = new URLSearchParams({ page_size: String(HISTORY_PAGE_SIZE) });
  if (cursor) query.set('cursor', cursor);
  try {
    const { body } = await api.request<unknown>('GET', `/profiles/${encodeURIComponent(profileId)}/history`, { query });
    return normalizeHistory(body, offset);
  } catch (error) {
    // A server without the history endpoint answers a 404 that is not about the profile.
    if (error instanceof ApiError && error.status === 404 && error.code !== 'profile_not_found') {
      throw new ApiError(404, 'history_unavailable', 'This service does not offer profile history yet.');
    }
    throw error;
  }
}

/** The exact point of an event to ask for: its log position when known, else its time. */
export function pointOf(event: HistoryEvent): string | null {
  return event.position !== null ? String(event.position) : event.at;
}

export async function fetchProfileAsOf(api: Api, profileId: string, point: string): Promise<UnifiedProfile> {
  const body = await api.getProfile(profileId, new URLSearchParams({ as_of: point }));
  const wrapped = obj(body).profile;
  return (wrapped && typeof wrapped === 'object' ? wrapped : body) as UnifiedProfile;
}
