import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CdsMetrics } from './metrics';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/** The caller's X-Request-Id when it is a sane token, else a new one: every log line of a request carries it. */
export function requestId(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** The route pattern (`/t/:org/cds/api/v1/profiles/:id`), never the raw URL: ids and filters stay out of labels and logs. */
export function routePattern(request: FastifyRequest): string {
  return request.routeOptions?.url ?? 'unmatched';
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/**
 * Counts and times every request Fastify answers (routed or not) and writes one access log line
 * per request. `structured` hands the logger an object (JSON lines); otherwise a one-line text.
 */
export function observeHttp(fastify: FastifyInstance, metrics: CdsMetrics, options: { structured: boolean }): void {
  const logger = new Logger('HTTP');
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = routePattern(request);
    const status = reply.statusCode;
    const labels = { method: request.method, route, status_class: statusClass(status) };
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
    const durationMs = Math.round(reply.elapsedTime * 100) / 100;
    const org = (request.params as Record<string, unknown> | undefined)?.org;
    if (options.structured) {
      logger.log({
        message: `${request.method} ${route} ${status}`,
        request_id: request.id,
        method: request.method,
        route,
        status,
        duration_ms: durationMs,
        ...(typeof org === 'string' ? { org } : {}),
      });
    } else {
      logger.log(`${request.method} ${route} ${status} ${durationMs}ms [${request.id}]`);
    }
  });
}
