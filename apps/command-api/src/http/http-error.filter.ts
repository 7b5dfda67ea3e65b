import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { EventStoreUnavailableError, ServiceBusyError, StreamContentionError } from '@cds/application';
import { DomainError } from '@cds/domain';
import { AuthError } from '../auth/token-service';
import { ErrorBody, errorBody } from './error-body';
import { ReadModelBehindError, RETRY_AFTER_SECONDS } from './read-model-behind.error';

const STATUS_BY_KIND = { validation: 400, not_found: 404, conflict: 409, unprocessable: 422 } as const;

/** Fastify's own errors (body parsing, limits) keep their 4xx status with our error shape. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
};

export function toHttpError(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof DomainError) {
    return { status: STATUS_BY_KIND[error.kind], body: errorBody(error.code, error.message, error.details) };
  }
  if (error instanceof AuthError) return { status: error.status, body: errorBody(error.code, error.message) };
  // The log cannot be reached: nothing was written, and the caller may retry later.
  // Busy with others' work: never the caller's fault (no 409), and worth a retry.
  if (error instanceof ServiceBusyError) {
    return { status: 503, body: errorBody(error.code, error.message), headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  if (error instanceof StreamContentionError) {
    return {
      status: 503,
      body: errorBody('write_contention', 'Too many concurrent writes to this profile right now; nothing of this request was written, retry'),
      headers: { 'retry-after': '1' },
    };
  }
  if (error instanceof EventStoreUnavailableError) {
    return { status: 503, body: errorBody('log_unavailable', 'The event log cannot be reached right now; nothing was written, retry later') };
  }
  if (error instanceof ReadModelBehindError) {
    return { status: 503, body: errorBody('read_model_behind', error.message), headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    if (typeof response === 'object' && response !== null && 'code' in response) {
      return { status, body: response as ErrorBody };
    }
    const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
    const text = Array.isArray(message) ? message.join('; ') : String(message);
    // Body parsing fails before any handler runs; Nest hands it over as a plain 400.
    const code = status === 400 && /not valid JSON|JSON at position|Unexpected token/i.test(text) ? 'malformed_json' : codeForStatus(status);
    return { status, body: errorBody(code, text) };
  }
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const code = (fastify.code && FASTIFY_CODES[fastify.code]) || codeForStatus(fastify.statusCode);
    return { status: fastify.statusCode, body: errorBody(code, fastify.message ?? 'Bad request') };
  }
  return { status: 500, body: errorBody('internal_error', 'Something went wrong on our side; nothing you sent was at fault') };
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 405: return 'method_not_allowed';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    default: return status < 500 ? 'bad_request' : 'internal_error';
  }
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const { status, body, headers } = toHttpError(error);
    // A 5xx other than "busy, retry" is a bug: log it with its stack so it gets fixed. A read model behind the log is lag.
    if (error instanceof ReadModelBehindError) this.logger.warn(error.message);
    else if (status >= 500 && !headers?.['retry-after']) this.logger.error((error as Error)?.stack ?? String(error));
    const reply = host.switchToHttp().getResponse();
    if (headers) reply.headers(headers);
    reply.status(status).send(body);
  }
}
