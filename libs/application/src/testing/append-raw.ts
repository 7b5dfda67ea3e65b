import { createHash, randomUUID } from 'node:crypto';
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

/**
 * Names for claim streams without a key store: a digest anyone can recompute. For specs and
 * scenarios on logs that hold no personal data; the service names claims with keyed digests.
 */
export const unkeyedNames = {
  keyedName: async (tenant: string, purpose: string, value: string): Promise<string> => createHash('sha256').update(`${tenant}\n${purpose}\n${value}`).digest('hex'),
};
