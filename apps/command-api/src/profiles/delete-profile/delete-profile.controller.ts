import { Controller, Delete, HttpCode, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { DeleteProfileCommand } from './delete-profile.command';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';

@Controller('t/:org/cds/api/v1/profiles')
export class DeleteProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes(SCOPES.profileDelete)
  @ApiOperation({ summary: 'Erase a profile', description: 'Erases the profile and every profile merged into it.' })
  @ApiNoContentResponse({ description: 'Erased.' })
  async remove(
    @Param('org', TenantPipe) org: string,
    @Param('id', ProfileIdPipe) id: string,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { position } = await this.commandBus.execute(new DeleteProfileCommand(org, id, write));
    reply.headers(positionHeaders(position));
  }
}
