/** Event and stream-name builders for EventStore tests. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '@cds/application';

/**
 * A stream-name prefix no other test uses, so tests can share one server's log and still
 * select exactly their own events with a prefix filter.
 */
export const uniqueStreamPrefix = (label = 'contract'): string => `${label}${randomBytes(6).toString('hex')}-`;

/** An event type no other test uses, for event-type filters on a shared log. */
export const uniqueEventType = (label = 'ContractEvent'): string => `${label}${randomBytes(6).toString('hex')}`;

export function aNewEvent(
  overrides: { type?: string; data?: unknown; metadata?: Partial<EventMetadata>; id?: string } = {},
): NewEvent {
  return {
    // Event ids are UUIDs: EventStoreDB accepts nothing else.
    id: overrides.id ?? randomUUID(),
    type: overrides.type ?? 'ContractEvent',
    data: overrides.data ?? { value: randomUUID() },
    metadata: { schema_version: 1, tenant: 'contract', ...overrides.metadata },
  };
}

export const newEvents = (count: number, type?: string): NewEvent[] =>
  Array.from({ length: count }, (_, i) => aNewEvent({ type, data: { n: i } }));
