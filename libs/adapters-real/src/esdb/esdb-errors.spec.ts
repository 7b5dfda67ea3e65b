import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  InvalidArgumentError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '@cds/application';
import { actualRevisionOf, isMissingStream, isTransientEsdbError, toEventStoreError, type AppendContext } from './esdb-errors';

const append: AppendContext = { streamId: 'profile-1', expected: 4, eventCount: 2 };

/** A gRPC error the way grpc-js reports it, before the client converts it. */
const grpcError = (code: number, details: string): Error => Object.assign(new Error(`${code} ${details}`), { code, details });

describe('actualRevisionOf', () => {
  it("reads 'no_stream', negative revisions and a missing value as 'no_stream'", () => {
    expect(actualRevisionOf('no_stream')).toBe('no_stream');
    expect(actualRevisionOf(-1n)).toBe('no_stream');
    expect(actualRevisionOf(undefined)).toBe('no_stream');
  });

  it('reads a revision as a number', () => {
    expect(actualRevisionOf(0n)).toBe(0);
    expect(actualRevisionOf(41n)).toBe(41);
  });
});

describe('toEventStoreError', () => {
  it('maps a wrong expected version to WrongExpectedRevisionError with the caller’s stream and expectation', () => {
    const error = toEventStoreError(
      new WrongExpectedVersionError(undefined, { streamName: 'profile-1', expected: 4n, current: 7n }),
      append,
    );
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 'profile-1', expected: 4, actual: 7 });
  });

  it("maps a wrong expected version on a missing stream to actual 'no_stream'", () => {
    const error = toEventStoreError(
      new WrongExpectedVersionError(undefined, { streamName: 'profile-1', expected: 'stream_exists', current: 'no_stream' }),
      { ...append, expected: 'stream_exists' },
    );
    expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
  });

  it.each([
    ['unavailable', new UnavailableError()],
    ['deadline exceeded', new DeadlineExceededError()],
    ['server timeout', new TimeoutError()],
    ['cancelled by the server', new CancelledError()],
    ['unknown server failure', new UnknownError()],
    ['raw gRPC UNAVAILABLE', grpcError(14, 'No connection established')],
    ['raw gRPC DEADLINE_EXCEEDED', grpcError(4, 'Deadline exceeded')],
    ['failed discovery', new Error('Failed to discover after 10 attempts.')],
  ])('maps %s to EventStoreUnavailableError, keeping the cause', (_label, cause) => {
    const error = toEventStoreError(cause, append);
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as EventStoreUnavailableError).message).toMatch(/^EventStoreDB is unavailable/);
    expect((error as EventStoreUnavailableError).cause).toBeDefined();
  });

  it('maps refused access to EventStoreUnavailableError: a deployment problem, not the caller’s', () => {
    const error = toEventStoreError(new AccessDeniedError(), append);
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).message).toMatch(/refused access/);
  });

  it('maps an oversized append to a RangeError naming the limit', () => {
    const error = toEventStoreError(new MaxAppendSizeExceededError(undefined, 1_048_576), append);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(
      "Append of 2 events to profile-1 exceeds the server's maximum append size of 1048576 bytes",
    );
  });

  it('passes other errors on unchanged', () => {
    const invalid = new InvalidArgumentError('bad filter');
    expect(toEventStoreError(invalid)).toBe(invalid);
    const bug = new TypeError('boom');
    expect(toEventStoreError(bug)).toBe(bug);
    expect(toEventStoreError('text')).toBe('text');
  });

  it("leaves the port's own errors alone", () => {
    const wrong = new WrongExpectedRevisionError('s', 1, 2);
    expect(toEventStoreError(wrong, append)).toBe(wrong);
  });
});

describe('isTransientEsdbError', () => {
  it('holds for errors a later attempt can get past, not for refusals', () => {
    expect(isTransientEsdbError(new UnavailableError())).toBe(true);
    expect(isTransientEsdbError(grpcError(14, 'Connection dropped'))).toBe(true);
    expect(isTransientEsdbError(new AccessDeniedError())).toBe(false);
    expect(isTransientEsdbError(new InvalidArgumentError('bad'))).toBe(false);
    expect(isTransientEsdbError(new TypeError('bug'))).toBe(false);
  });
});

describe('isMissingStream', () => {
  it('holds for a stream that does not exist or was deleted', () => {
    expect(isMissingStream(new StreamNotFoundError(undefined, 'x'))).toBe(true);
    expect(isMissingStream(StreamDeletedError.fromStreamName('x'))).toBe(true);
    expect(isMissingStream(new UnavailableError())).toBe(false);
  });
});
