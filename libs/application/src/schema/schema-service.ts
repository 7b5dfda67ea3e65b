import { decideSchema, emptySchema, evolveSchema, SchemaCommand, SchemaEvent, SchemaState } from '@cds/domain';
import { EventStore, LogPosition } from '../ports/event-store.port';
import { decodeSchemaEvent } from '../streams/event-codec';
import { schemaStream } from '../streams/stream-names';
import { TenantStream } from '../streams/tenant-stream';

/** A tenant's attribute schema, folded from its own stream (`schema-<tenant>`). */
export class SchemaService {
  private readonly stream: TenantStream<SchemaState, SchemaEvent>;

  constructor(store: EventStore) {
    this.stream = new TenantStream(store, {
      label: 'schema',
      streamOf: schemaStream,
      initial: emptySchema,
      evolve: evolveSchema,
      decode: decodeSchemaEvent,
      idNamespace: '2b7e9d4c-1a3f-4e6b-8d5c-7f0a9b8c6d2e',
    });
  }

  current(tenant: string): Promise<SchemaState> {
    return this.stream.current(tenant);
  }

  execute(tenant: string, command: SchemaCommand, correlationId: string): Promise<{ state: SchemaState; position: LogPosition | null }> {
    return this.stream.execute(tenant, (state) => decideSchema(command, state), correlationId);
  }
}
