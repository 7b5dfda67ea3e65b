import { Controller, Delete, HttpCode, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { RemoveRuleCommand } from './remove-rule.command';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';

@Controller('t/:org/cds/api/v1/unification-rules')
export class RemoveRuleController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':ruleId')
  @HttpCode(204)
  @RequireScopes(SCOPES.rulesManage)
  @ApiOperation({ summary: 'Remove a rule' })
  @ApiNoContentResponse({ description: 'Removed.' })
  async remove(
    @Param('org', TenantPipe) org: string,
    @Param('ruleId') ruleId: string,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { position } = await this.commandBus.execute(new RemoveRuleCommand(org, ruleId, write));
    reply.headers(positionHeaders(position));
  }
}
