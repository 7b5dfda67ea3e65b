/**
 * Pulls from an async iterator ahead of its consumer, up to `limit` items, so reading the log
 * goes on while the consumer waits for its writes. Items come out in order; an error of the
 * iterator comes out where it happened. One consumer; `next()` is not called concurrently.
 */
export class ReadAhead<T> {
  private readonly buffer: Array<{ result: IteratorResult<T> } | { error: unknown }> = [];
  private pulling = false;
  private ended = false;
  private wake?: () => void;

  constructor(
    private readonly iterator: AsyncIterator<T>,
    private readonly limit: number,
  ) {
    this.pull();
  }

  /** Whether the next item (or the end) is read already. */
  ready(): boolean {
    return this.buffer.length > 0;
  }

  async next(): Promise<IteratorResult<T>> {
    while (this.buffer.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    const item = this.buffer.shift()!;
    this.pull();
    if ('error' in item) throw item.error;
    return item.result;
  }

  private pull(): void {
    if (this.pulling || this.ended || this.buffer.length >= this.limit) return;
    this.pulling = true;
    void (async () => {
      try {
        while (!this.ended && this.buffer.length < this.limit) {
          const result = await this.iterator.next();
          this.buffer.push({ result });
          if (result.done) this.ended = true;
          this.signal();
        }
      } catch (error) {
        this.ended = true;
        this.buffer.push({ error });
        this.signal();
      } finally {
        this.pulling = false;
      }
    })();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
