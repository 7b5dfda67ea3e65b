/**
 * Reading a fixed number of events from a LogSubscription with a deadline, for tests. The
 * iterator and any unanswered next() are kept per subscription, so several calls can read one
 * subscription in turn and a timed-out read does not lose the event it was waiting for.
 */
import type { LogSubscription, RecordedEvent } from '@cds/application';

interface Reader {
  readonly iterator: AsyncIterator<RecordedEvent>;
  pending?: Promise<IteratorResult<RecordedEvent>>;
}

const readers = new WeakMap<LogSubscription, Reader>();

export interface CollectOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /** Skips events it rejects (e.g. other tests' events on a shared server); they do not count. */
  where?: (event: RecordedEvent) => boolean;
}

const TIMED_OUT = Symbol('timed out');

export async function collectEvents(
  subscription: LogSubscription,
  count: number,
  options: CollectOptions = {},
): Promise<RecordedEvent[]> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  let reader = readers.get(subscription);
  if (!reader) {
    reader = { iterator: subscription[Symbol.asyncIterator]() };
    readers.set(subscription, reader);
  }
  const events: RecordedEvent[] = [];
  while (events.length < count) {
    reader.pending ??= reader.iterator.next();
    const result = await beforeDeadline(reader.pending, deadline);
    if (result === TIMED_OUT) {
      throw new Error(`Timed out after ${timeoutMs} ms with ${events.length} of ${count} events`);
    }
    reader.pending = undefined;
    if (result.done) throw new Error(`Subscription ended after ${events.length} of ${count} events`);
    if (!options.where || options.where(result.value)) events.push(result.value);
  }
  return events;
}

/** Resolves with the promise's value, or TIMED_OUT at the deadline, leaving no timer behind. */
export async function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export { TIMED_OUT };
