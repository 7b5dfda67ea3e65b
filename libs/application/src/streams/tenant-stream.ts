import { v5 as uuidv5 } from 'uuid';
import { EventStore, LogPosition, RecordedEvent, WrongExpectedRevisionError } from '../ports/event-store.port';
import { backoff, MAX_ATTEMPTS } from '../profiles/profile-commands';
import { WriteContentionError } from '../profiles/write-contention.error';
import { toNewEvent } from './event-codec';

export interface TenantStreamSpec<S, E extends { type: string; data: unknown }> {
  /** What the stream is called in messages (`schema`, `unification rules`). */
  label: string;
  streamOf(tenant: string): string;
  initial: S;
  evolve(state: S, event: E): S;
  decode(recorded: RecordedEvent): E;
  /** Namespace of the deterministic event ids. */
  idNamespace: string;
}

interface Cached<S> {
  state: S;
  revision: number | null;
}

/**
 * One stream per tenant folded into a state (the attribute schema, the unification rules).
 * Reads catch up from the cached revision, so every decision sees every event appended before
 * it, from any process; decisions append with the revision they were made on and are retried
 * on fresh state when another writer got in first.
 */
export class TenantStream<S, E extends { type: string; data: unknown }> {
  private readonly cache = new Map<string, Cached<S>>();

  constructor(
    private readonly store: EventStore,
    private readonly spec: TenantStreamSpec<S, E>,
  ) {}

  async current(tenant: string): Promise<S> {
    return (await this.load(tenant)).state;
  }

  /** Appends what `decide` returns; deciding nothing appends nothing (position null). */
  async execute(
    tenant: string,
    decide: (state: S) => Promise<E[]> | E[],
    correlationId: string,
  ): Promise<{ state: S; position: LogPosition | null }> {
    const streamId = this.spec.streamOf(tenant);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cached = await this.load(tenant);
      const events = await decide(cached.state);
      if (events.length === 0) return { state: cached.state, position: null };
      const base = (cached.revision ?? -1) + 1;
      const newEvents = events.map((e, i) =>
        toNewEvent(e, uuidv5(`${streamId}@${base + i}#${correlationId}`, this.spec.idNamespace), {
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
    throw new WriteContentionError(`${this.spec.label} of ${tenant}`);
  }

  private async load(tenant: string): Promise<Cached<S>> {
    const cached = this.cache.get(tenant) ?? { state: this.spec.initial, revision: null };
    const fresh = await this.store.readStream(this.spec.streamOf(tenant), {
      fromRevision: cached.revision === null ? 0 : cached.revision + 1,
    });
    if (fresh.length === 0) return cached;
    let { state } = cached;
    for (const recorded of fresh) state = this.spec.evolve(state, this.spec.decode(recorded));
    const next = { state, revision: fresh[fresh.length - 1].revision };
    // Concurrent loads may finish out of order: never step the cache back.
    const now = this.cache.get(tenant);
    if (!now || (now.revision ?? -1) < next.revision) this.cache.set(tenant, next);
    return next;
  }
}
