import { v5 as uuidv5 } from 'uuid';
import { decideRules, emptyRules, evolveRules, RulesCommand, RulesState } from '@cds/domain';
import { EventStore, LogPosition, WrongExpectedRevisionError } from '../ports/event-store.port';
import { decodeRuleEvent, toNewEvent } from '../streams/event-codec';
import { rulesStream } from '../streams/stream-names';
import { backoff, MAX_ATTEMPTS } from '../profiles/profile-commands';
import { WriteContentionError } from '../profiles/write-contention.error';
import { SchemaService } from '../schema/schema-service';

const EVENT_ID_NAMESPACE = '6d1f3a9e-2c4b-4f8a-9e7d-5b0c8a1f2e3d';

interface CachedRules {
  state: RulesState;
  revision: number | null;
}

/**
 * A tenant's unification rules, folded from their own stream. Reads catch up from the cached
 * revision, so every merge attempt sees every rule appended before it, from any process. Rule
 * properties are checked against the tenant's schema as it is when the command is decided.
 */
export class RulesService {
  private readonly cache = new Map<string, CachedRules>();

  constructor(
    private readonly store: EventStore,
    private readonly schema: SchemaService,
  ) {}

  async current(tenant: string): Promise<RulesState> {
    return (await this.load(tenant)).state;
  }

  /** Appends the command's events, if it has any: a command that changes nothing appends nothing (position null). */
  async execute(
    tenant: string,
    command: RulesCommand,
    correlationId: string,
  ): Promise<{ state: RulesState; position: LogPosition | null }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cached = await this.load(tenant);
      const events = decideRules(command, cached.state, await this.schema.current(tenant));
      if (events.length === 0) return { state: cached.state, position: null };
      const streamId = rulesStream(tenant);
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
    throw new WriteContentionError(`unification rules of ${tenant}`);
  }

  private async load(tenant: string): Promise<CachedRules> {
    const cached = this.cache.get(tenant) ?? { state: emptyRules, revision: null };
    const fresh = await this.store.readStream(rulesStream(tenant), {
      fromRevision: cached.revision === null ? 0 : cached.revision + 1,
    });
    if (fresh.length === 0) return cached;
    let { state } = cached;
    for (const recorded of fresh) state = evolveRules(state, decodeRuleEvent(recorded));
    const next = { state, revision: fresh[fresh.length - 1].revision };
    // Concurrent loads may finish out of order: never step the cache back.
    const now = this.cache.get(tenant);
    if (!now || (now.revision ?? -1) < next.revision) this.cache.set(tenant, next);
    return next;
  }
}
