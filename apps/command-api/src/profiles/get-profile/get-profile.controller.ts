import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { WAIT_QUERY } from '../../http/log-position';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
import { parsePosition } from '../shared/wait-for-position';
import { parseAsOf } from '../shared/as-of';
import { GetProfileQuery } from './get-profile.query';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

@Controller('t/:org/cds/api/v1/profiles')
export class GetProfileController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @RequireScopes(SCOPES.profileView)
  @ApiOperation({
    summary: 'Read a unified profile',
    description: 'From the read model, which is eventually consistent; with `as_of`, folded from the log as it was then instead.',
  })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description: 'A log position (digits) or an ISO 8601 time with a zone: the profile as it was right after it. A merged-away id answers with its survivor as of then.',
    schema: { type: 'string', example: '2026-01-31T12:00:00Z' },
  })
  @ApiOkResponse({ description: 'The profile; for a merged-away id, its survivor.', schema: ref('schemas', 'Profile') })
  get(
    @Param('org', TenantPipe) org: string,
    @Param('id', ProfileIdPipe) id: string,
    @Query(WAIT_QUERY) waitFor?: unknown,
    @Query('as_of') asOf?: unknown,
  ) {
    return this.queryBus.execute(new GetProfileQuery(org, id, parsePosition(waitFor), parseAsOf(asOf)));
  }
}
