import { randomUUID } from 'node:crypto';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { validationError } from '@cds/domain';

/** What a write carries beyond its body: who asked, and how to recognise a retry. */
export interface WriteContext {
  correlationId: string;
  idempotencyKey?: string;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

export const CurrentWrite = createParamDecorator((_: unknown, ctx: ExecutionContext): WriteContext => {
  const headers = ctx.switchToHttp().getRequest().headers as Record<string, string | undefined>;
  const key = headers['idempotency-key'];
  if (key !== undefined && !KEY.test(key)) {
    throw validationError('invalid_idempotency_key', 'Idempotency-Key is 1 to 200 visible ASCII characters');
  }
  const correlationId = key !== undefined ? `idem:${key}` : (headers['x-request-id'] ?? randomUUID()).slice(0, 200);
  return { correlationId, ...(key !== undefined ? { idempotencyKey: key } : {}) };
});
