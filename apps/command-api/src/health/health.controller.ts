import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, EventStore, LogPosition, partitionCheckpoints, PROFILE_READ_MODEL, ProfileProjector, ProfileReadModel, projectorProblems } from '@cds/application';
import { CdsConfig, LIVE_CHECKPOINT, UnificationHost } from '@cds/runtime';
import { Public } from '../auth/auth.decorators';
import { CDS_CONFIG, UNIFICATION_HOST } from '../infrastructure/tokens';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ref } from '../observability/openapi/schemas';

export interface Readiness {
  status: 'ok' | 'unavailable';
  log_head: LogPosition | null;
  /** The in-process projector's status, or the external projector's checkpoint as the read model holds it. */
  projector: Record<string, unknown>;
  /** The unifier partitions held here by lease, and the unifiers running. */
  unifier: { leases: unknown; running: unknown };
  /** Why the service is not ready; absent when it is. */
  problems?: string[];
}

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(ProfileProjector) private readonly projector: ProfileProjector,
    @Inject(PROFILE_READ_MODEL) private readonly readModel: ProfileReadModel,
    @Inject(CDS_CONFIG) private readonly config: CdsConfig,
    @Inject(UNIFICATION_HOST) private readonly unification: UnificationHost,
  ) {}

  /** The process answers. */
  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'Alive.', schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } })
  live() {
    return { status: 'ok' };
  }

  /**
   * The log answers, and where the read model stands against it. 503 when the log cannot answer
   * or when this process's projector has stopped: reads would no longer catch up.
   */
  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the log answers, the projector follows it, the unifier reaches its leases' })
  @ApiOkResponse({ description: 'Ready.', schema: ref('schemas', 'Readiness') })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the event store cannot answer or the projector stopped (see `problems`).', schema: ref('schemas', 'Readiness') })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.check();
    void reply.status(readiness.status === 'ok' ? 200 : 503).header('cache-control', 'no-store');
    return readiness;
  }

  private async check(): Promise<Readiness> {
    const problems: string[] = [];
    let head: LogPosition | null = null;
    try {
      head = await this.eventStore.headPosition();
    } catch (error) {
      problems.push(`event store: ${describe(error)}`);
    }
    let projector: Record<string, unknown>;
    if (this.config.projector === 'in-process') {
      const status = this.projector.getStatus();
      projector = { ...status };
      problems.push(...projectorProblems(status));
    } else {
      projector = { name: LIVE_CHECKPOINT, mode: 'external', position: null };
      try {
        // The lowest partition checkpoint: every document holds the log up to there.
        const checkpoints = await Promise.all(
          partitionCheckpoints(LIVE_CHECKPOINT, this.config.projection.partitions).map((name) => this.readModel.checkpoint(name)),
        );
        projector.position = checkpoints.includes(null) ? null : Math.min(...(checkpoints as number[]));
      } catch (error) {
        problems.push(`read model: ${describe(error)}`);
      }
    }
    const leases = this.unification.keeper?.status() ?? null;
    if (leases?.lastError) problems.push(`unifier leases: ${leases.lastError}`);
    const unifier = { leases, running: this.unification.partitions.status() };
    return problems.length === 0
      ? { status: 'ok', log_head: head, projector, unifier }
      : { status: 'unavailable', log_head: head, projector, unifier, problems };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
