import type { FastifyInstance } from 'fastify';
import { errorBody } from './error-body';

/**
 * Headers that name one thing: sent twice, Node would keep one of them silently, so a proxy and
 * this service could each act on a different one. Such a request is refused instead.
 */
const SINGLE_HEADERS = new Set(['authorization', 'content-type', 'idempotency-key']);

export function refuseRepeatedHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const repeated = repeatedHeader(request.raw.rawHeaders);
    if (repeated !== null) {
      return reply.code(400).send(errorBody('repeated_header', `The ${repeated} header may be sent once`));
    }
  });
}

/** The first header of `SINGLE_HEADERS` that occurs more than once, or null. */
export function repeatedHeader(rawHeaders: string[]): string | null {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (!SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return null;
}
