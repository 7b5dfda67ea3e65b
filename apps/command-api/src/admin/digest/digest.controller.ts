import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ActiveReadModel, assertTenant, digestReadModel, GenerationConflictError } from '@cds/application';
import { validationError } from '@cds/domain';
import { LIVE_CHECKPOINT } from '@cds/runtime';
import { AdminOnly } from '../admin.decorators';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';

@Controller('admin/digest')
@AdminOnly()
export class DigestController {
  constructor(@Inject(ActiveReadModel) private readonly readers: ActiveReadModel) {}

  /**
   * A content digest of the live read model (or of `?generation=`), over every tenant or the
   * `?tenant=` ones, in stable order: a rebuild that reproduces it answers every read alike.
   */
  @Get()
  @ApiOperation({ summary: 'A content digest of the read model', description: 'sha256 over the live read model (or `generation`), for every tenant or the `tenant` ones, in (tenant, profile_id) order.' })
  @ApiQuery({ name: 'generation', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'tenant', required: false, schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true })
  @ApiOkResponse({ description: 'The digest.', schema: { type: 'object', required: ['generation', 'active'], properties: { generation: { type: 'string' }, active: { type: 'boolean' } } } })
  async digest(@Query('generation') generation?: unknown, @Query('tenant') tenant?: unknown) {
    if (generation !== undefined && typeof generation !== 'string') throw validationError('invalid_generation', 'Give generation once');
    const state = await this.readers.generations.state();
    const id = generation || state.active;
    let handle;
    try {
      handle = await this.readers.generations.open(id);
    } catch (error) {
      if (error instanceof GenerationConflictError) throw validationError('invalid_generation', error.message);
      throw error;
    }
    const tenants = (tenant === undefined ? [] : Array.isArray(tenant) ? tenant : [tenant]).map((t) => assertTenant(String(t)));
    const checkpoint = await handle.readModel.checkpoint(LIVE_CHECKPOINT);
    const digest = await digestReadModel(handle.readModel, { tenants });
    return { generation: id, active: id === state.active, checkpoint, ...(tenants.length > 0 ? { tenants } : {}), ...digest };
  }
}
