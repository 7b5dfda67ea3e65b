import { Command } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { AttributeDefinition, Scope } from '@cds/domain';
import { WriteContext } from '../../http/request-context';

export class DefineAttributesCommand extends Command<{ definitions: AttributeDefinition[]; position: LogPosition | null }> {
  constructor(readonly tenant: string, readonly scope: Scope, readonly inputs: unknown[], readonly write: WriteContext) {
    super();
  }
}
