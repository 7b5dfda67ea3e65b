import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ActiveReadModel,
  EVENT_STORE,
  EventStore,
  LEASE_STORE,
  LeaseStore,
  rebuildProgressReport,
  RebuildProgressReport,
  rebuildReadModel,
  rebuildResultReport,
  RebuildResultReport,
} from '@cds/application';
import { conflict } from '@cds/domain';
import { CdsConfig, leaseHolderId, LIVE_CHECKPOINT } from '@cds/runtime';
import { CDS_CONFIG } from '../../infrastructure/tokens';

export interface RebuildRequest {
  fresh: boolean;
  switchOver: boolean;
  digest: boolean;
  batchSize: number;
}

export interface RebuildJob {
  id: string;
  state: 'running' | 'succeeded' | 'failed';
  generation: string | null;
  started_at: string;
  finished_at: string | null;
  progress: RebuildProgressReport | null;
  result: RebuildResultReport | null;
  error: string | null;
}

/**
 * Runs one rebuild at a time in this process, in the background: the live generation keeps
 * serving, and this process's readers and projector move over as soon as it switched.
 */
@Injectable()
export class RebuildJobs implements OnModuleDestroy {
  private readonly logger = new Logger('Rebuild');
  private job: RebuildJob | null = null;
  private running?: { abort: AbortController; done: Promise<void> };

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ActiveReadModel) private readonly readers: ActiveReadModel,
    @Inject(CDS_CONFIG) private readonly config: CdsConfig,
    @Inject(LEASE_STORE) private readonly leases: LeaseStore,
  ) {}

  current(): RebuildJob | null {
    return this.job === null ? null : { ...this.job };
  }

  start(request: RebuildRequest): RebuildJob {
    if (this.job?.state === 'running') throw conflict('rebuild_running', `Rebuild ${this.job.id} is running`);
    const job: RebuildJob = {
      id: randomUUID(),
      state: 'running',
      generation: null,
      started_at: new Date().toISOString(),
      finished_at: null,
      progress: null,
      result: null,
      error: null,
    };
    this.job = job;
    const abort = new AbortController();
    const done = rebuildReadModel({
      store: this.store,
      generations: this.readers.generations,
      checkpointName: LIVE_CHECKPOINT,
      batchSize: request.batchSize,
      partitions: this.config.projection.partitions,
      leases: { store: this.leases, holder: leaseHolderId(), ttlMs: this.config.projection.leaseTtlMs },
      onPoison: this.config.projectorOnPoison,
      fresh: request.fresh,
      switchOver: request.switchOver,
      digest: request.digest,
      signal: abort.signal,
      onProgress: (progress) => {
        job.generation = progress.generation;
        job.progress = rebuildProgressReport(progress);
      },
    })
      .then(async (result) => {
        // This process reads the new generation at once, not at its next look at the pointer.
        if (result.switched) await this.readers.refresh();
        job.generation = result.generation;
        job.result = rebuildResultReport(result);
        job.state = 'succeeded';
        this.logger.log(`rebuilt generation ${result.generation} (${result.eventsProjected} events)${result.switched ? `; readers switched from ${result.previous}` : ''}`);
      })
      .catch((error: unknown) => {
        job.error = error instanceof Error ? error.message : String(error);
        job.state = 'failed';
        this.logger.error(`rebuild failed: ${job.error}`);
      })
      .finally(() => {
        job.finished_at = new Date().toISOString();
        this.running = undefined;
      });
    this.running = { abort, done };
    return { ...job };
  }

  async onModuleDestroy(): Promise<void> {
    this.running?.abort.abort();
    await this.running?.done;
  }
}
