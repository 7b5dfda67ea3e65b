/**
 * Turns the client's errors into the port's. Only two kinds matter to callers: a refused
 * expected revision (WrongExpectedRevisionError, which a command handler retries or reports)
 * and a log that cannot serve right now (EventStoreUnavailableError, which is not the caller's
 * fault). Everything else is passed on unchanged, so nothing is hidden behind a vague wrapper.
 */
import {
  AccessDeniedError,
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type CurrentRevision,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError, type ExpectedRevision } from '@cds/application';

/** What was being done when the error happened, for the port's error types. */
export interface AppendContext {
  streamId: string;
  expected: ExpectedRevision;
  eventCount: number;
}

/**
 * The stream's last revision as the port reports it. The client gives 'no_stream' when the
 * server says the stream has no events; older servers answer through gRPC trailers, where
 * "no stream" arrives as -1, so a negative number means the same.
 */
export function actualRevisionOf(actual: CurrentRevision | undefined): number | 'no_stream' {
  if (actual === undefined || actual === 'no_stream' || actual < 0n) return 'no_stream';
  return Number(actual);
}

/** gRPC errors that reached us unconverted are converted the way the client does it. */
function normalise(error: unknown): unknown {
  return error instanceof Error ? convertToCommandError(error) : error;
}

/**
 * Errors after which the same call can succeed later without the caller changing anything:
 * the node is down or restarting, not the leader, overloaded, or dropped the call. A
 * subscription resubscribes after these and gives up on anything else.
 */
export function isTransientEsdbError(error: unknown): boolean {
  const converted = normalise(error);
  return (
    converted instanceof UnavailableError ||
    converted instanceof DeadlineExceededError ||
    converted instanceof NotLeaderError ||
    // ABORTED: the server timed the operation out or dropped a subscription that fell behind.
    converted instanceof TimeoutError ||
    // CANCELLED by the server (a client-side cancel never surfaces as an error).
    converted instanceof CancelledError ||
    // The server failed in a way it did not classify; the next attempt usually works.
    converted instanceof UnknownError ||
    isDiscoveryFailure(converted)
  );
}

/** The client's gossip discovery throws a plain Error when no node answered. */
function isDiscoveryFailure(error: unknown): boolean {
  return error instanceof Error && /^Failed to discover after \d+ attempts/.test(error.message);
}

/** A read found nothing to read: the stream never existed or was deleted. */
export function isMissingStream(error: unknown): boolean {
  const converted = normalise(error);
  return converted instanceof StreamNotFoundError || converted instanceof StreamDeletedError;
}

/**
 * The port's error for a failed call. `append` names the append that failed, so a wrong
 * expected version can carry the stream and the expected revision as the caller gave them.
 */
export function toEventStoreError(error: unknown, append?: AppendContext): unknown {
  if (error instanceof WrongExpectedRevisionError || error instanceof EventStoreUnavailableError) return error;
  const converted = normalise(error);
  if (converted instanceof WrongExpectedVersionError && append) {
    return new WrongExpectedRevisionError(append.streamId, append.expected, actualRevisionOf(converted.actualVersion));
  }
  if (isTransientEsdbError(converted)) {
    return new EventStoreUnavailableError(`EventStoreDB is unavailable: ${describe(converted)}`, converted);
  }
  // Refused credentials are a deployment problem, not the caller's.
  if (converted instanceof AccessDeniedError) {
    return new EventStoreUnavailableError(`EventStoreDB refused access: ${describe(converted)}`, converted);
  }
  if (converted instanceof MaxAppendSizeExceededError && append) {
    const tooLarge = new RangeError(
      `Append of ${append.eventCount} events to ${append.streamId} exceeds the server's maximum append size ` +
        `of ${converted.maxAppendSize} bytes`,
    );
    return Object.assign(tooLarge, { cause: converted });
  }
  return converted;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.constructor.name;
  return String(error);
}
