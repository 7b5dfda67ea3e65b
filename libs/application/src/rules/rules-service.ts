import { RuleEvent, RulesCommand, rulesDecider, RulesState } from '@cds/domain';
import { EventStore, LogPosition } from '../ports/event-store.port';
import { decodeRuleEvent } from '../streams/event-codec';
import { rulesStream } from '../streams/stream-names';
import { TenantStream } from '../streams/tenant-stream';
import { SchemaService } from '../schema/schema-service';

/** A rules command as callers send it: the service brings the tenant's schema to an addition. */
export type RulesRequest = Exclude<RulesCommand, { type: 'AddRule' }> | Omit<Extract<RulesCommand, { type: 'AddRule' }>, 'schema'>;

/**
 * A tenant's unification rules, folded from their own stream. Rule properties are checked
 * against the tenant's schema as it is when the command is decided.
 */
export class RulesService {
  private readonly stream: TenantStream<RulesState, RuleEvent>;

  constructor(
    store: EventStore,
    private readonly schema: SchemaService,
  ) {
    this.stream = new TenantStream(store, { streamOf: rulesStream, ...rulesDecider, decode: decodeRuleEvent });
  }

  current(tenant: string): Promise<RulesState> {
    return this.stream.current(tenant);
  }

  /** A command that changes nothing appends nothing (position null). */
  async execute(tenant: string, request: RulesRequest, correlationId: string): Promise<{ state: RulesState; position: LogPosition | null }> {
    const command: RulesCommand = request.type === 'AddRule' ? { ...request, schema: await this.schema.current(tenant) } : request;
    return this.stream.execute(tenant, (state) => rulesDecider.decide(command, state), correlationId);
  }
}
