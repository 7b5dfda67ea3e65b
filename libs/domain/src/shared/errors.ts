/**
 * Why a command was refused. The kind decides the HTTP status in the apps (400, 404, 409, 422);
 * the domain never speaks HTTP.
 */
export type DomainErrorKind = 'validation' | 'not_found' | 'conflict' | 'unprocessable';

export interface ErrorDetail {
  field?: string;
  reason: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (code: string, message: string, details: ErrorDetail[] = []) =>
  new DomainError('validation', code, message, details);
export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const conflict = (code: string, message: string, details: ErrorDetail[] = []) =>
  new DomainError('conflict', code, message, details);
/** Well-formed, but it cannot be done as asked (an Idempotency-Key reused for another request). */
export const unprocessable = (code: string, message: string, details: ErrorDetail[] = []) =>
  new DomainError('unprocessable', code, message, details);

/** Exhaustiveness guard for switches over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
