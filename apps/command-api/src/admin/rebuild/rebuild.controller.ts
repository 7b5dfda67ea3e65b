import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { isPlainObject, notFound, validationError } from '@cds/domain';
import { AdminOnly } from '../admin.decorators';
import { RebuildJobs, RebuildRequest } from './rebuild-jobs';
import { ApiAcceptedResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

const MAX_BATCH_SIZE = 100_000;

@Controller('admin/rebuild')
@AdminOnly()
export class RebuildController {
  constructor(private readonly jobs: RebuildJobs) {}

  /**
   * Starts a rebuild of the unified-profile read model into a fresh generation:
   * `{fresh?: boolean, switch?: boolean, digest?: boolean, batch_size?: number}`. 202 with the job;
   * 409 while one runs. Follow it with GET.
   */
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a rebuild of the read model into a fresh generation' })
  @ApiBody({ schema: ref('schemas', 'RebuildRequest'), required: false })
  @ApiAcceptedResponse({ description: 'Started; follow it with GET.', schema: ref('schemas', 'RebuildJob') })
  @ApiConflictResponse({ description: 'A rebuild is running already.', schema: ref('schemas', 'Error') })
  start(@Body() body: unknown) {
    return this.jobs.start(parseRequest(body));
  }

  /** The running rebuild, or the last one. */
  @Get()
  @ApiOperation({ summary: 'The running rebuild, or the last one' })
  @ApiOkResponse({ description: 'The rebuild.', schema: ref('schemas', 'RebuildJob') })
  @ApiNotFoundResponse({ description: 'No rebuild has run in this process.', schema: ref('schemas', 'Error') })
  current() {
    const job = this.jobs.current();
    if (job === null) throw notFound('no_rebuild', 'No rebuild has run in this process');
    return job;
  }
}

function parseRequest(body: unknown): RebuildRequest {
  const input = body === undefined || body === null ? {} : body;
  if (!isPlainObject(input)) throw validationError('invalid_body', 'The body is a JSON object');
  const unknown = Object.keys(input).filter((key) => !['fresh', 'switch', 'digest', 'batch_size'].includes(key));
  if (unknown.length > 0) {
    throw validationError('invalid_body', 'The request body is not valid', unknown.map((field) => ({ field, reason: 'unknown field' })));
  }
  const flag = (name: string, fallback: boolean): boolean => {
    const value = input[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw validationError('invalid_body', `${name} is true or false`, [{ field: name, reason: 'not a boolean' }]);
    return value;
  };
  const batchSize = input.batch_size === undefined ? 1000 : input.batch_size;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw validationError('invalid_body', `batch_size is a whole number from 1 to ${MAX_BATCH_SIZE}`, [{ field: 'batch_size', reason: 'out of range' }]);
  }
  return { fresh: flag('fresh', false), switchOver: flag('switch', true), digest: flag('digest', false), batchSize };
}
