import { Command } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { UnificationRule } from '@cds/domain';
import { WriteContext } from '../../http/request-context';
import { AddRuleDto } from './add-rule.dto';

export class AddRuleCommand extends Command<{ rule: UnificationRule; position: LogPosition | null }> {
  constructor(readonly tenant: string, readonly input: AddRuleDto, readonly write: WriteContext) {
    super();
  }
}
