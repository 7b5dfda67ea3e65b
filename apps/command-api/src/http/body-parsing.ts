import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validationError } from '@cds/domain';

export const JSON_MEDIA_TYPE = 'application/json';
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
export type BodyMediaType = typeof JSON_MEDIA_TYPE | typeof FORM_MEDIA_TYPE;

/**
 * Deepest nesting of arrays and objects a body may have. The deepest legitimate body, a complex
 * attribute value inside `application_data.<app>.<attribute>`, stays well below it.
 */
export const MAX_BODY_DEPTH = 32;

/** The route takes a form body (`application/x-www-form-urlencoded`) instead of JSON. */
export const TakesFormBody = () => RouteConfig({ bodyMediaType: FORM_MEDIA_TYPE });

export function bodyMediaTypeOf(request: FastifyRequest): BodyMediaType {
  const config = request.routeOptions?.config as { bodyMediaType?: BodyMediaType } | undefined;
  return config?.bodyMediaType ?? JSON_MEDIA_TYPE;
}

/**
 * Bodies are JSON, or a form on the routes that say so (`@TakesFormBody()`); anything else is a
 * 415 before any handler runs. JSON nested deeper than `MAX_BODY_DEPTH` is refused by a linear
 * scan before it is parsed, so no parser or validator ever recurses through it.
 */
export function configureBodyParsing(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const refused = refusedMediaType(request, JSON_MEDIA_TYPE);
    if (refused) return done(refused, undefined);
    const text = body as string;
    if (exceedsJsonDepth(text, MAX_BODY_DEPTH)) {
      return done(validationError('body_too_deep', `The body nests arrays and objects deeper than ${MAX_BODY_DEPTH} levels`), undefined);
    }
    parseJson(request, text, (error, value) => {
      if (error) return done(error, undefined);
      // Every JSON body of this API is an object, or a list where a route takes one: never a bare null, number or string.
      if (value === null || typeof value !== 'object') {
        return done(validationError('invalid_body', 'The body must be a JSON object (or an array, where the route takes a list)'), undefined);
      }
      done(null, value);
    });
  });
  fastify.addContentTypeParser(FORM_MEDIA_TYPE, { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const refused = refusedMediaType(request, FORM_MEDIA_TYPE);
    if (refused) return done(refused, undefined);
    done(null, parseForm(body as string));
  });
}

/**
 * Depth of arrays and objects in JSON text, without parsing it: brackets inside strings (escapes
 * included) do not count. True as soon as the depth passes `limit`.
 */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH) i++;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACKET || char === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if (char === CLOSE_BRACKET || char === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Form fields; a field sent more than once keeps every value, in order. */
export function parseForm(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

function refusedMediaType(request: FastifyRequest, sent: BodyMediaType): Error | null {
  const expected = bodyMediaTypeOf(request);
  if (expected === sent) return null;
  return Object.assign(new Error(`This route takes ${expected} bodies, not ${sent}`), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}
