import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { WAIT_QUERY } from '../../http/log-position';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
import { parsePosition } from '../shared/wait-for-position';
import { parseAsOf } from '../shared/as-of';
import { GetProfileQuery } from './get-profile.query';

@Controller('t/:org/cds/api/v1/profiles')
export class GetProfileController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @RequireScopes(SCOPES.profileView)
  get(
    @Param('org', TenantPipe) org: string,
    @Param('id', ProfileIdPipe) id: string,
    @Query(WAIT_QUERY) waitFor?: unknown,
    @Query('as_of') asOf?: unknown,
  ) {
    return this.queryBus.execute(new GetProfileQuery(org, id, parsePosition(waitFor), parseAsOf(asOf)));
  }
}
