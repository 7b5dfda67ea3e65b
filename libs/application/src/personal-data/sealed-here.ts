import { BoundedCache } from './bounded-cache';
import { OpenedPayload, PayloadOpener } from './subject-keys';

/** Enough for every reader of a live write to find it: the projector, the unifier, the write itself. */
const DEFAULT_CAPACITY = 8192;

/**
 * The payloads this process sealed lately, kept open by their sealed text (a random IV makes each
 * text unique). Every write is read back within milliseconds by the projector, the unifier and
 * sometimes by the write itself, and one decipher per reader costs more than the seal did. The
 * subject's key still decides: a payload whose key is gone opens as erased, remembered or not.
 */
export class SealedHere {
  private readonly payloads: BoundedCache<unknown>;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.payloads = new BoundedCache(capacity);
  }

  remember(sealed: string, value: unknown): void {
    this.payloads.set(sealed, value);
  }

  /** Whether a payload was sealed here lately (the answer does not count as a use). */
  knows(sealed: string): boolean {
    // Hashing a payload's text is most of a lookup: a process that sealed nothing (a rebuild) skips it.
    return this.payloads.size > 0 && this.payloads.has(sealed);
  }

  /** What `opener.open` answers, without the decipher for a payload sealed here. */
  open<T>(opener: PayloadOpener, tenant: string, subject: string, sealed: string): OpenedPayload<T> {
    const known = this.payloads.size > 0 ? this.payloads.get(sealed) : undefined;
    if (known === undefined) return opener.open<T>(tenant, subject, sealed);
    return opener.isErased(tenant, subject) ? ERASED : { status: 'open', value: known as T };
  }
}

const ERASED: OpenedPayload<never> = Object.freeze({ status: 'erased' as const });
