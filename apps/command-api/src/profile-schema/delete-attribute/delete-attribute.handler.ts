import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, RulesService, SchemaService } from '@cds/application';
import { notFound } from '@cds/domain';
import { DeleteAttributeCommand } from './delete-attribute.command';

/**
 * Stops new writes to the attribute; values already on profiles stay until overwritten or cleared.
 * An attribute that a unification rule matches on stays until that rule is removed.
 */
@CommandHandler(DeleteAttributeCommand)
export class DeleteAttributeHandler implements ICommandHandler<DeleteAttributeCommand> {
  constructor(
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(RulesService) private readonly rules: RulesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, scope, attributeId, write }: DeleteAttributeCommand) {
    const current = (await this.schema.current(tenant)).byId.get(attributeId);
    if (!current || current.scope !== scope) throw notFound('attribute_not_found', `No attribute ${attributeId} in ${scope}`);
    const rules = await this.rules.current(tenant);
    const usedByRules = [...rules.byId.values()].filter((rule) => rule.property_name === current.attribute_name).map((rule) => rule.rule_name);
    const { position } = await this.schema.execute(
      tenant,
      { type: 'RemoveAttribute', attributeId, usedByRules, at: this.clock.now().toISOString() },
      write.correlationId,
    );
    return { position };
  }
}
