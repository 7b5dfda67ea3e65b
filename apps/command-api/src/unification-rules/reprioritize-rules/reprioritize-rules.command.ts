import { Command } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { UnificationRule } from '@cds/domain';
import { WriteContext } from '../../http/request-context';

export class ReprioritizeRulesCommand extends Command<{ rules: UnificationRule[]; position: LogPosition | null }> {
  constructor(readonly tenant: string, readonly priorities: unknown, readonly write: WriteContext) {
    super();
  }
}
