import { LogSubscription, RecordedEvent } from './event-store.port';

export const SUBSCRIPTION_DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The iterator half every LogSubscription shares: next() calls are served one after another
 * whatever the caller does, and leaving a `for await` loop early closes the subscription.
 * Adapters supply how the next event is pulled and what closing releases.
 */
export abstract class SerialSubscription implements LogSubscription, AsyncIterator<RecordedEvent> {
  protected closed = false;
  private tail: Promise<unknown> = Promise.resolve();

  /** The next event, or SUBSCRIPTION_DONE once closed. Never called concurrently. */
  protected abstract pull(): Promise<IteratorResult<RecordedEvent>>;
  /** Releases what the subscription holds; called once, on the first close(). */
  protected abstract release(): Promise<void> | void;

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    const result = this.tail.then(() => this.pull());
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Called when a `for await` loop exits early. */
  async return(): Promise<IteratorResult<RecordedEvent>> {
    await this.close();
    return SUBSCRIPTION_DONE;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }
}
