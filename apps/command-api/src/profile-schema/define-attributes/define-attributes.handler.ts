import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock, SchemaService } from '@cds/application';
import { DefineAttributesCommand } from './define-attributes.command';

const ATTRIBUTE_ID_NAMESPACE = '3c9f1e7a-8b2d-4c5e-a6f0-d1e2c3b4a596';

@CommandHandler(DefineAttributesCommand)
export class DefineAttributesHandler implements ICommandHandler<DefineAttributesCommand> {
  constructor(
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, scope, inputs, write }: DefineAttributesCommand) {
    // Ids derive from the request, so a retried definition (same Idempotency-Key) gets the same ids.
    const seed = write.idempotencyKey ?? randomUUID();
    const attributeIds = inputs.map((_, i) => uuidv5(`${tenant}/${seed}/${i}`, ATTRIBUTE_ID_NAMESPACE));
    // A retry of a definition that already landed answers as the first time did.
    const known = await this.schema.current(tenant);
    if (write.idempotencyKey !== undefined && attributeIds.length > 0 && attributeIds.every((id) => known.byId.has(id))) {
      return { definitions: attributeIds.map((id) => known.byId.get(id)!), position: null };
    }
    const { state, position } = await this.schema.execute(
      tenant,
      { type: 'DefineAttributes', scope, inputs, attributeIds, at: this.clock.now().toISOString() },
      write.correlationId,
    );
    return { definitions: attributeIds.map((id) => state.byId.get(id)!).filter(Boolean), position };
  }
}
