import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ActiveReadModel, EVENT_STORE, EventStore, ProfileProjector, readModelStatus } from '@cds/application';
import { CdsConfig, LIVE_CHECKPOINT, UnificationHost } from '@cds/runtime';
import { CDS_CONFIG, UNIFICATION_HOST } from '../../infrastructure/tokens';
import { parseWholeNumber } from '../../http/query-numbers';
import { AdminOnly } from '../admin.decorators';
import { RebuildJobs } from '../rebuild/rebuild-jobs';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';

@Controller('admin/status')
@AdminOnly()
export class StatusController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ActiveReadModel) private readonly readers: ActiveReadModel,
    @Inject(ProfileProjector) private readonly projector: ProfileProjector,
    @Inject(CDS_CONFIG) private readonly config: CdsConfig,
    @Inject(UNIFICATION_HOST) private readonly unification: UnificationHost,
    private readonly jobs: RebuildJobs,
  ) {}

  /**
   * Checkpoint, head of the log, lag, events/s, dead letters and last error of the live
   * projection, and the rebuild of this process. Without a projector in this process the rate is
   * measured by watching the checkpoint for `sample_ms` (default 1000; 0 skips it).
   */
  @Get()
  @ApiOperation({ summary: 'Checkpoint, head of the log, lag, rate, dead letters and rebuild of the live projection; the unifier\'s partitions' })
  @ApiQuery({ name: 'sample_ms', required: false, description: 'With an external projector: how long to watch the checkpoint for the rate.', schema: { type: 'integer', minimum: 0, maximum: 10000, default: 1000 } })
  @ApiOkResponse({ description: 'The status.', schema: { type: 'object' } })
  async status(@Query('sample_ms') sampleMs?: unknown) {
    const inProcess = this.config.projector === 'in-process';
    const sample = parseWholeNumber(sampleMs, { name: 'sample_ms', code: 'invalid_sample_ms', min: 0, max: 10_000 }) ?? 1000;
    const status = await readModelStatus({
      store: this.store,
      generations: this.readers.generations,
      checkpointName: LIVE_CHECKPOINT,
      partitions: this.config.projection.partitions,
      projector: inProcess ? this.projector.getStatus() : undefined,
      sampleMs: inProcess ? 0 : sample,
    });
    return { ...status, projector_mode: this.config.projector, rebuild: this.jobs.current(), unifier: await this.unifierStatus() };
  }

  /** Every partition's checkpoint, the leases this process holds, and the unifiers running here. */
  private async unifierStatus() {
    const { partitions, keeper } = this.unification;
    return {
      mode: this.config.unifier,
      partitions: await partitions.checkpoints(),
      leases: keeper?.status() ?? null,
      running: partitions.status(),
    };
  }
}
