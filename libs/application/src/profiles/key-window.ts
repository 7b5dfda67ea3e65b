import { LogPosition } from '../ports/event-store.port';

export interface SeenRequest {
  fingerprint: string;
  /** Where the request's write landed. */
  position: LogPosition;
}

/**
 * The idempotency keys a profile saw most recently, with what each request said and where it
 * landed. Bounded: a profile fed for years by Kafka would otherwise drag every event_id it ever
 * saw through memory and into merge events. A retry arriving after this many newer keyed writes
 * to the same profile is applied again.
 */
export class KeyWindow {
  static readonly SIZE = 5_000;
  private readonly seen = new Map<string, SeenRequest>();
  /** Keys oldest first, from `head` on (memory grows with the keys seen, not with the bound). */
  private order: string[] = [];
  private head = 0;

  constructor(private readonly limit = KeyWindow.SIZE) {}

  get size(): number {
    return this.seen.size;
  }

  get(key: string): SeenRequest | undefined {
    return this.seen.get(key);
  }

  /** The first request with a key is the one that counts. */
  remember(key: string, request: SeenRequest): void {
    if (this.seen.has(key) || this.limit <= 0) return;
    this.seen.set(key, request);
    this.order.push(key);
    if (this.seen.size > this.limit) this.seen.delete(this.order[this.head++]);
    if (this.head > this.limit) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
