import { randomUUID } from 'node:crypto';
import { EventStore } from '../ports/event-store.port';
import { CURRENT_SCHEMA_VERSION } from '../streams/event-codec';

/** Appends events as they are, without deciding: for specs that need a log no command would write. */
export async function appendRaw(store: EventStore, streamId: string, tenant: string, events: Array<{ type: string; data: unknown }>): Promise<number> {
  const result = await store.append(
    streamId,
    events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { tenant, schema_version: CURRENT_SCHEMA_VERSION } })),
    'any',
  );
  return result.position;
}
