import { EventStore, LogPosition, RecordedEvent } from '../ports/event-store.port';
import { FoldedStreams } from './folded-streams';
import { handleStream } from './handle-stream';

export interface TenantStreamSpec<S, E extends { type: string; data: unknown }> {
  streamOf(tenant: string): string;
  initialState(): S;
  evolve(state: S, event: E): S;
  decode(recorded: RecordedEvent): E;
}

/** A few tenants' schemas or rules weigh little; keep them all folded. */
const TENANTS_KEPT = 10_000;

/**
 * One stream per tenant folded into a state (the attribute schema, the unification rules).
 * Every read catches up from the cached revision, so a decision sees every event appended
 * before it, from any process.
 */
export class TenantStream<S, E extends { type: string; data: unknown }> {
  private readonly streams: FoldedStreams<S>;

  constructor(store: EventStore, private readonly spec: TenantStreamSpec<S, E>) {
    this.streams = new FoldedStreams<S>(
      store,
      { initialState: () => spec.initialState(), evolve: (state, recorded) => spec.evolve(state, spec.decode(recorded)) },
      { maxWeight: TENANTS_KEPT },
    );
  }

  async current(tenant: string): Promise<S> {
    return (await this.streams.load(this.spec.streamOf(tenant))).state;
  }

  /** Appends what `decide` returns; deciding nothing appends nothing (position null). */
  async execute(tenant: string, decide: (state: S) => E[], correlationId: string): Promise<{ state: S; position: LogPosition | null }> {
    const outcome = await handleStream(this.streams, this.spec.streamOf(tenant), (folded) => ({ events: decide(folded.state) }), {
      metadata: { tenant, correlation_id: correlationId },
    });
    return { state: outcome.folded.state, position: outcome.appended ? outcome.position : null };
  }
}
