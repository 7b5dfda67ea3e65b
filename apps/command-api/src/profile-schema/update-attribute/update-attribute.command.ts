import { Command } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { AttributeDefinition, Scope } from '@cds/domain';
import { WriteContext } from '../../http/request-context';

export class UpdateAttributeCommand extends Command<{ definition: AttributeDefinition; position: LogPosition | null }> {
  constructor(
    readonly tenant: string,
    readonly scope: Scope,
    readonly attributeId: string,
    readonly input: unknown,
    readonly write: WriteContext,
  ) {
    super();
  }
}
