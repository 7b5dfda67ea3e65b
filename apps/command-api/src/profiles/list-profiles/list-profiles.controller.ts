import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { validationError } from '@cds/domain';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { WAIT_QUERY } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { parseWholeNumber } from '../../http/query-numbers';
import { parsePosition } from '../shared/wait-for-position';
import { ListProfilesQuery } from './list-profiles.query';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

@Controller('t/:org/cds/api/v1/profiles')
export class ListProfilesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScopes(SCOPES.profileView)
  @ApiOperation({ summary: 'List and filter profiles' })
  @ApiQuery({
    name: 'filter',
    required: false,
    description: '`<attribute> eq|co|sw <value>`, e.g. `traits.interests co run` or `user_id eq user-42`; repeat to combine (all must match).',
    schema: { type: 'array', items: { type: 'string' } },
    style: 'form',
    explode: true,
  })
  @ApiQuery({ name: 'page_size', required: false, description: 'Profiles per page, in decimal digits.', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } })
  @ApiQuery({ name: 'cursor', required: false, description: '`next_cursor` of the previous page.', schema: { type: 'string', minLength: 1 } })
  @ApiOkResponse({ description: 'One page, in profile id order.', schema: ref('schemas', 'ProfilePage') })
  list(
    @Param('org', TenantPipe) org: string,
    @Query('filter') filter?: string | string[],
    @Query('page_size') pageSize?: unknown,
    @Query('cursor') cursor?: unknown,
    @Query(WAIT_QUERY) waitFor?: unknown,
  ) {
    const filters = filter === undefined ? [] : Array.isArray(filter) ? filter : [filter];
    const size = parseWholeNumber(pageSize, { name: 'page_size', code: 'invalid_page_size', min: 1, max: MAX_PAGE_SIZE }) ?? DEFAULT_PAGE_SIZE;
    return this.queryBus.execute(new ListProfilesQuery(org, filters, size, parseCursor(cursor), parsePosition(waitFor)));
  }
}

/** The `next_cursor` of the page before, as it was given out: one non-empty value. */
function parseCursor(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw === '') throw validationError('invalid_cursor', 'cursor is the next_cursor of the page before, given once');
  return raw;
}
