import { decideRules, emptyRules, evolveRules, RuleEvent, RulesCommand, RulesState } from '@cds/domain';
import { EventStore, LogPosition } from '../ports/event-store.port';
import { decodeRuleEvent } from '../streams/event-codec';
import { rulesStream } from '../streams/stream-names';
import { TenantStream } from '../streams/tenant-stream';
import { SchemaService } from '../schema/schema-service';

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
    this.stream = new TenantStream(store, {
      label: 'unification rules',
      streamOf: rulesStream,
      initial: emptyRules,
      evolve: evolveRules,
      decode: decodeRuleEvent,
      idNamespace: '6d1f3a9e-2c4b-4f8a-9e7d-5b0c8a1f2e3d',
    });
  }

  current(tenant: string): Promise<RulesState> {
    return this.stream.current(tenant);
  }

  /** A command that changes nothing appends nothing (position null). */
  execute(tenant: string, command: RulesCommand, correlationId: string): Promise<{ state: RulesState; position: LogPosition | null }> {
    return this.stream.execute(tenant, async (state) => decideRules(command, state, await this.schema.current(tenant)), correlationId);
  }
}
