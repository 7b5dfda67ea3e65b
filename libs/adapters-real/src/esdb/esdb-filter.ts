/**
 * LogFilter for EventStoreDB. The server filters a $all subscription on one thing only, stream
 * name or event type, and matches prefixes (or a regex), never exact types. So the server gets
 * the narrowest single filter we can express, and every event is checked again here exactly:
 * stream prefixes, exact event types, and no system events.
 *
 * Reads of $all are filtered here only: the v6 client sends no filter with readAll (it sets
 * NoFilter on the request), so a filtered read pages through $all and keeps what matches.
 */
import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter } from '@eventstore/db-client';
import type { LogFilter } from '@cds/application';
import { isSystemEvent } from './esdb-event-conversion';

/** Empty lists mean no restriction, as the port says. */
export interface EffectiveFilter {
  streamPrefixes?: readonly string[];
  eventTypes?: ReadonlySet<string>;
}

export function effectiveFilter(filter: LogFilter | undefined): EffectiveFilter {
  const streamPrefixes = filter?.streamPrefixes?.length ? [...filter.streamPrefixes] : undefined;
  const eventTypes = filter?.eventTypes?.length ? new Set(filter.eventTypes) : undefined;
  return { streamPrefixes, eventTypes };
}

/** Whether a (non-system) event is one the caller asked for. */
export function acceptsEvent(filter: EffectiveFilter, event: { streamId: string; type: string }): boolean {
  if (isSystemEvent(event)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) return false;
  if (filter.eventTypes && !filter.eventTypes.has(event.type)) return false;
  return true;
}

/**
 * The server-side filter for a $all subscription. Stream prefixes are usually the narrower
 * condition (a test's or a tenant's streams), so they win when both are given; the types are
 * then checked here. Without a filter the server still drops system events, which on a real
 * node arrive steadily ($stats every few seconds, projection links).
 */
export function subscriptionFilter(filter: EffectiveFilter): Filter {
  if (filter.streamPrefixes) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter.eventTypes) return eventTypeFilter({ prefixes: [...filter.eventTypes] });
  return excludeSystemEvents();
}
