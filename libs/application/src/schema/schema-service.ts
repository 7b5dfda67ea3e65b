import { v5 as uuidv5 } from 'uuid';
import { decideSchema, emptySchema, evolveSchema, SchemaCommand, SchemaState } from '@cds/domain';
import { EventStore, LogPosition, WrongExpectedRevisionError } from '../ports/event-store.port';
import { decodeSchemaEvent, toNewEvent } from '../streams/event-codec';
import { schemaStream } from '../streams/stream-names';
import { backoff, MAX_ATTEMPTS } from '../profiles/profile-commands';
import { WriteContentionError } from '../profiles/write-contention.error';

const EVENT_ID_NAMESPACE = '2b7e9d4c-1a3f-4e6b-8d5c-7f0a9b8c6d2e';

interface CachedSchema {
  state: SchemaState;
  revision: number | null;
}

/**
 * A tenant's attribute schema, folded from its own stream. Reads catch up from the cached
 * revision, so every validation sees every definition appended before it, from any process.
 */
export class SchemaService {
  private readonly cache = new Map<string, CachedSchema>();

  constructor(private readonly store: EventStore) {}

  async current(tenant: string): Promise<SchemaState> {
    return (await this.load(tenant)).state;
  }

  async execute(
    tenant: string,
    command: SchemaCommand,
    correlationId: string,
  ): Promise<{ state: SchemaState; position: LogPosition | null }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cached = await this.load(tenant);
      const events = decideSchema(command, cached.state);
      const streamId = schemaStream(tenant);
      const base = (cached.revision ?? -1) + 1;
      const newEvents = events.map((e, i) =>
        toNewEvent(e, uuidv5(`${streamId}@${base + i}#${correlationId}`, EVENT_ID_NAMESPACE), {
          tenant,
          correlation_id: correlationId,
        }),
      );
      try {
        const result = await this.store.append(streamId, newEvents, cached.revision ?? 'no_stream');
        return { state: (await this.load(tenant)).state, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        await backoff(attempt);
      }
    }
    throw new WriteContentionError(`schema of ${tenant}`);
  }

  private async load(tenant: string): Promise<CachedSchema> {
    const cached = this.cache.get(tenant) ?? { state: emptySchema, revision: null };
    const fresh = await this.store.readStream(schemaStream(tenant), {
      fromRevision: cached.revision === null ? 0 : cached.revision + 1,
    });
    if (fresh.length === 0) return cached;
    let { state } = cached;
    for (const recorded of fresh) state = evolveSchema(state, decodeSchemaEvent(recorded));
    const next = { state, revision: fresh[fresh.length - 1].revision };
    // Concurrent loads may finish out of order: never step the cache back.
    const now = this.cache.get(tenant);
    if (!now || (now.revision ?? -1) < next.revision) this.cache.set(tenant, next);
    return next;
  }
}
