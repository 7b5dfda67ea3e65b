import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { CDS_METRICS, CdsMetrics } from './metrics';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';

/** Prometheus scrape target (text format 0.0.4); public like the health checks. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(CDS_METRICS) private readonly metrics: CdsMetrics) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain; version=0.0.4')
  @ApiOkResponse({ description: 'Text exposition format 0.0.4.', schema: { type: 'string' } })
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type(this.metrics.contentType);
    return this.metrics.render();
  }
}
