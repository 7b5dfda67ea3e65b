import { Command } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { WriteContext } from '../../http/request-context';

export class RemoveRuleCommand extends Command<{ position: LogPosition | null }> {
  constructor(readonly tenant: string, readonly ruleId: string, readonly write: WriteContext) {
    super();
  }
}
