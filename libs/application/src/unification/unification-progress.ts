import { LogPosition } from '../ports/event-store.port';

/**
 * How far the unifier of a tenant has carried out the log: a sign-in waits for it to pass its
 * stamp before answering with the unified profile.
 */
export interface UnificationProgress {
  /** True once every event of the tenant up to `position` is unified; false after the timeout. */
  waitFor(tenant: string, position: LogPosition, timeoutMs: number): Promise<boolean>;
}

export const UNIFICATION_PROGRESS = Symbol('UnificationProgress');

/** The request could be recorded but its consequences are still being worked out; retry soon. */
export class ServiceBusyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'ServiceBusyError';
  }
}
