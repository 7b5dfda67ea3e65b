import { schemaDecider, SchemaCommand, SchemaEvent, SchemaState } from '@cds/domain';
import { EventStore, LogPosition } from '../ports/event-store.port';
import { decodeSchemaEvent } from '../streams/event-codec';
import { schemaStream } from '../streams/stream-names';
import { TenantStream } from '../streams/tenant-stream';

/** A tenant's attribute schema, folded from its own stream (`schema-<tenant>`). */
export class SchemaService {
  private readonly stream: TenantStream<SchemaState, SchemaEvent>;

  constructor(store: EventStore) {
    this.stream = new TenantStream(store, { streamOf: schemaStream, ...schemaDecider, decode: decodeSchemaEvent });
  }

  current(tenant: string): Promise<SchemaState> {
    return this.stream.current(tenant);
  }

  execute(tenant: string, command: SchemaCommand, correlationId: string): Promise<{ state: SchemaState; position: LogPosition | null }> {
    return this.stream.execute(tenant, (state) => schemaDecider.decide(command, state), correlationId);
  }
}
