import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { validationError } from '@cds/domain';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { WAIT_QUERY } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { parsePosition } from '../shared/wait-for-position';
import { ListProfilesQuery } from './list-profiles.query';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

@Controller('t/:org/cds/api/v1/profiles')
export class ListProfilesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScopes(SCOPES.profileView)
  list(
    @Param('org', TenantPipe) org: string,
    @Query('filter') filter?: string | string[],
    @Query('page_size') pageSize?: string,
    @Query('cursor') cursor?: string,
    @Query(WAIT_QUERY) waitFor?: string,
  ) {
    const filters = filter === undefined ? [] : Array.isArray(filter) ? filter : [filter];
    return this.queryBus.execute(
      new ListProfilesQuery(org, filters, parsePageSize(pageSize), cursor || undefined, parsePosition(waitFor)),
    );
  }
}

function parsePageSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw validationError('invalid_page_size', `page_size is a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return size;
}
