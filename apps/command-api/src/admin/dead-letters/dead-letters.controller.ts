import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ActiveReadModel, GenerationConflictError } from '@cds/application';
import { validationError } from '@cds/domain';
import { parseWholeNumber } from '../../http/query-numbers';
import { AdminOnly } from '../admin.decorators';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

@Controller('admin/dead-letters')
@AdminOnly()
export class DeadLettersController {
  constructor(@Inject(ActiveReadModel) private readonly readers: ActiveReadModel) {}

  /** Events the projector set aside, in log order: `?after=<position>&limit=<1..1000>&generation=`. */
  @Get()
  @ApiOperation({ summary: 'Events the projector set aside, in log order' })
  @ApiQuery({ name: 'after', required: false, description: 'Log position to start after.', schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } })
  @ApiQuery({ name: 'generation', required: false, description: 'A read-model generation; the active one when absent.', schema: { type: 'string' } })
  @ApiOkResponse({ description: 'One page of dead letters.', schema: ref('schemas', 'DeadLetterPage') })
  async list(@Query('after') after?: unknown, @Query('limit') limit?: unknown, @Query('generation') generation?: unknown) {
    const state = await this.readers.generations.state();
    const id = typeof generation === 'string' && generation !== '' ? generation : state.active;
    let handle;
    try {
      handle = await this.readers.generations.open(id);
    } catch (error) {
      if (error instanceof GenerationConflictError) throw validationError('invalid_generation', error.message);
      throw error;
    }
    const afterPosition = parseWholeNumber(after, { name: 'after', code: 'invalid_after', min: 0, max: Number.MAX_SAFE_INTEGER });
    const size = parseWholeNumber(limit, { name: 'limit', code: 'invalid_limit', min: 1, max: 1000 }) ?? 100;
    const letters = await handle.deadLetters.list({ after: afterPosition, limit: size });
    return {
      generation: id,
      count: await handle.deadLetters.count(),
      dead_letters: letters,
      next_after: letters.length === size ? letters[letters.length - 1].position : null,
    };
  }
}
