import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { assertTenant, EVENT_STORE, EventStore, parseLogCut, prepareReplay } from '@cds/application';
import { validationError } from '@cds/domain';
import { AdminOnly } from '../admin.decorators';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery } from '@nestjs/swagger';

/** The last line of a replay stream: the stream is complete only with it. */
export const REPLAY_END = 'replay_end';

@Controller('admin/replay')
@AdminOnly()
export class ReplayController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Every unified profile as it was at `?as_of=` (a log position or an ISO time; the head when
   * absent), as NDJSON lines `{"tenant", "profile"}` in (tenant, profile_id) order, streamed;
   * `?tenant=` (repeatable) narrows it. The last line is `{"replay_end": {...}}`. Headers:
   * `cds-as-of-position` (the cut as a position) and `cds-replay-streams` (profile streams to fold).
   */
  @Get()
  @ApiOperation({ summary: 'Every profile as it was at a point of the log, as NDJSON' })
  @ApiQuery({ name: 'as_of', required: false, description: 'A log position or an ISO time; the head when absent.', schema: { type: 'string' } })
  @ApiQuery({ name: 'tenant', required: false, schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'One `{"tenant", "profile"}` line per profile, then `{"replay_end": {...}}`.', schema: { type: 'string' } })
  async replay(@Res() reply: FastifyReply, @Query('as_of') asOf?: unknown, @Query('tenant') tenant?: unknown): Promise<void> {
    if (asOf !== undefined && typeof asOf !== 'string') throw validationError('invalid_as_of', 'Give as_of once');
    const head = await this.store.headPosition();
    const cut = asOf === undefined ? { kind: 'position' as const, position: head ?? 0 } : parseLogCut(asOf);
    const tenants = (tenant === undefined ? [] : Array.isArray(tenant) ? tenant : [tenant]).map((t) => assertTenant(String(t)));
    const replay = await prepareReplay(this.store, cut, { tenants });
    async function* lines(): AsyncGenerator<string> {
      let profiles = 0;
      for await (const profile of replay.profiles()) {
        profiles += 1;
        yield `${JSON.stringify(profile)}\n`;
      }
      yield `${JSON.stringify({ [REPLAY_END]: { position: replay.position, streams: replay.streams, profiles } })}\n`;
    }
    await reply
      .status(200)
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('cds-as-of-position', replay.position === null ? '' : String(replay.position))
      .header('cds-replay-streams', String(replay.streams))
      .send(Readable.from(lines()));
  }
}
