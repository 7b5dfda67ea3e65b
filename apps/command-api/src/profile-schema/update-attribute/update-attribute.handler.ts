import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, SchemaService } from '@cds/application';
import { notFound } from '@cds/domain';
import { UpdateAttributeCommand } from './update-attribute.command';

/** New merge rules apply from this point of the log on; earlier writes keep the rule they had. */
@CommandHandler(UpdateAttributeCommand)
export class UpdateAttributeHandler implements ICommandHandler<UpdateAttributeCommand> {
  constructor(
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, scope, attributeId, input, write }: UpdateAttributeCommand) {
    const current = (await this.schema.current(tenant)).byId.get(attributeId);
    if (!current || current.scope !== scope) throw notFound('attribute_not_found', `No attribute ${attributeId} in ${scope}`);
    const { state, position } = await this.schema.execute(
      tenant,
      { type: 'RedefineAttribute', attributeId, input, at: this.clock.now().toISOString() },
      write.correlationId,
    );
    return { definition: state.byId.get(attributeId)!, position };
  }
}
