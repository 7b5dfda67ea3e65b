import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
import { parseWholeNumber } from '../../http/query-numbers';
import { GetProfileHistoryQuery } from './get-profile-history.query';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

@Controller('t/:org/cds/api/v1/profiles')
export class GetProfileHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  /** `?page_size=` (1 to 1000, default 100) and `?cursor=` (the `next_cursor` of the page before). */
  @Get(':id/history')
  @RequireScopes(SCOPES.profileView)
  @ApiOperation({
    summary: 'Read the history of a profile',
    description: 'The history items of the profile and of everything merged into it, in log order, read from the log. A merged-away id answers with its survivor’s history.',
  })
  @ApiQuery({ name: 'page_size', required: false, description: 'Items per page, in decimal digits.', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } })
  @ApiQuery({ name: 'cursor', required: false, description: '`next_cursor` of the page before.', schema: { type: 'string', pattern: '^\\d{1,16}$' } })
  @ApiOkResponse({ description: 'One page of history, oldest first.', schema: ref('schemas', 'HistoryPage') })
  history(
    @Param('org', TenantPipe) org: string,
    @Param('id', ProfileIdPipe) id: string,
    @Query('page_size') pageSize?: unknown,
    @Query('cursor') cursor?: unknown,
  ) {
    const size = parseWholeNumber(pageSize, { name: 'page_size', code: 'invalid_page_size', min: 1, max: MAX_PAGE_SIZE }) ?? DEFAULT_PAGE_SIZE;
    const after = parseWholeNumber(cursor, { name: 'cursor', code: 'invalid_cursor', min: 0, max: Number.MAX_SAFE_INTEGER });
    return this.queryBus.execute(new GetProfileHistoryQuery(org, id, size, after));
  }
}
