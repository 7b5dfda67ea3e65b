import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { validationError } from '@cds/domain';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
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
    return this.queryBus.execute(new GetProfileHistoryQuery(org, id, parsePageSize(pageSize), parseCursor(cursor)));
  }
}

function parsePageSize(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  const size = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw validationError('invalid_page_size', `page_size is a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return size;
}

function parseCursor(raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d{1,16}$/.test(raw)) {
    throw validationError('invalid_cursor', 'cursor is the next_cursor of the page before');
  }
  return Number(raw);
}
