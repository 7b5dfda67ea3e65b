import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
import { parseWholeNumber } from '../../http/query-numbers';
import { GetProfileHistoryQuery } from './get-profile-history.query';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

@Controller('t/:org/cds/api/v1/profiles')
export class GetProfileHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  /** `?page_size=` (1 to 1000, default 100) and `?cursor=` (the `next_cursor` of the page before). */
  @Get(':id/history')
  @RequireScopes(SCOPES.profileView)
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
