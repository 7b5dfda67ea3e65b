import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { ReprioritizeRulesCommand } from './reprioritize-rules.command';
import { ReprioritizeRulesDto } from './reprioritize-rules.dto';

/** 200 with every rule in its new order. */
@Controller('t/:org/cds/api/v1/unification-rules/priorities')
export class ReprioritizeRulesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @RequireScopes(SCOPES.rulesManage)
  async reprioritize(
    @Param('org', TenantPipe) org: string,
    @Body() body: ReprioritizeRulesDto,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { rules, position } = await this.commandBus.execute(new ReprioritizeRulesCommand(org, body?.priorities, write));
    reply.headers(positionHeaders(position));
    return rules;
  }
}
