import { Command } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { Scope } from '@cds/domain';
import { WriteContext } from '../../http/request-context';

export class DeleteAttributeCommand extends Command<{ position: LogPosition | null }> {
  constructor(readonly tenant: string, readonly scope: Scope, readonly attributeId: string, readonly write: WriteContext) {
    super();
  }
}
