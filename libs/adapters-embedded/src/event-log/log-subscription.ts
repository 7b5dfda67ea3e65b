/**
 * subscribeToAll for the file log. Catch-up and live are the same loop: read the next page of
 * durable events after the cursor; when there is none, wait for the durable head to move. The
 * cursor only advances over what was read, so nothing appended between catch-up and live is
 * missed or delivered twice. Only one page is held at a time and the next page is read when
 * the consumer asks for it, so a slow consumer costs disk reads, not memory.
 */
import { SerialSubscription, SUBSCRIPTION_DONE } from '@cds/application';
import type { LogFilter, RecordedEvent } from '@cds/application';

export interface SubscriptionSource {
  /** Last durable position (0 when none). */
  durableHead(): number;
  /** Up to `maxCount` matching durable events after `after`, and the last position examined. */
  readPage(after: number, maxCount: number, filter: LogFilter | undefined): Promise<{ events: RecordedEvent[]; scannedTo: number }>;
  /** Resolves on the next change of the durable head, or when the store closes. */
  changed(): Promise<void>;
  /** True once the store is closing: no more events will arrive. */
  isClosing(): boolean;
  unregister(subscription: FileLogSubscription): void;
}

const PAGE_SIZE = 256;
const DONE = SUBSCRIPTION_DONE;

export class FileLogSubscription extends SerialSubscription {
  private cursor: number;
  private page: RecordedEvent[] = [];
  private pageIndex = 0;
  /** Ends the current wait for new events; set only while waiting. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    after: number | undefined,
    private readonly filter: LogFilter | undefined,
  ) {
    super();
    this.cursor = after !== undefined && after > 0 ? Math.floor(after) : 0;
  }

  protected release(): void {
    this.page = [];
    this.wake?.();
    this.source.unregister(this);
  }

  protected async pull(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed) return DONE;
      if (this.pageIndex < this.page.length) {
        const value = this.page[this.pageIndex++];
        return { done: false, value };
      }
      // A closing store ends its subscriptions; it must not be read any more.
      if (this.source.isClosing()) {
        await this.close();
        return DONE;
      }
      if (this.source.durableHead() > this.cursor) {
        const { events, scannedTo } = await this.source.readPage(this.cursor, PAGE_SIZE, this.filter);
        this.cursor = scannedTo;
        this.page = events;
        this.pageIndex = 0;
        continue;
      }
      // Not Promise.race with a long-lived "closed" promise: every race would leave a reaction
      // on it for the life of the subscription.
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void this.source.changed().then(resolve);
      });
      this.wake = undefined;
    }
  }
}
