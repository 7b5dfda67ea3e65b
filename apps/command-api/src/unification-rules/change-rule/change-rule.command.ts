import { Command } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { UnificationRule } from '@cds/domain';
import { WriteContext } from '../../http/request-context';
import { ChangeRuleDto } from './change-rule.dto';

export class ChangeRuleCommand extends Command<{ rule: UnificationRule; position: LogPosition | null }> {
  constructor(readonly tenant: string, readonly ruleId: string, readonly input: ChangeRuleDto, readonly write: WriteContext) {
    super();
  }
}
