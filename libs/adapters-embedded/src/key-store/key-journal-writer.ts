/**
 * Group commit for the key journal: operations queue up while the previous batch is being
 * written; then every queued record goes out in one write and one fdatasync, after which the key
 * regions those operations destroy or replace are overwritten with zeros and synced once more.
 * Many concurrent creates cost one flush. An operation resolves only when all of it is durable.
 *
 * A failed write or flush leaves the file in an unknown state: the writer stops for good and the
 * store must be reopened (recovery cuts the unacknowledged tail and finishes interrupted zeroing).
 */
import type { FileHandle } from 'node:fs/promises';
import { encodeBatch, type JournalRecord, type KeySlot } from './key-journal-format';

export interface PlacedRecord {
  readonly record: JournalRecord;
  /** For key records: set to the key region's offset once written. */
  readonly slot?: KeySlot;
}

export interface JournalOperation {
  readonly records: readonly PlacedRecord[];
  /** Key regions to overwrite with zeros once the records are durable: the keys this operation destroys or replaces. */
  readonly zero: readonly KeySlot[];
  resolve(): void;
  reject(error: Error): void;
}

export class KeyStoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'KeyStoreUnavailableError';
  }
}

export class KeyJournalWriter {
  private queue: JournalOperation[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private failure: Error | undefined;
  /** Flushes to stable storage so far: concurrent operations share them. */
  syncs = 0;

  constructor(
    private readonly handle: FileHandle,
    private end: number,
    private readonly fsync: boolean,
  ) {}

  get failed(): Error | undefined {
    return this.failure;
  }

  submit(operation: JournalOperation): void {
    if (this.failure) {
      operation.reject(this.failure);
      return;
    }
    this.queue.push(operation);
    if (!this.running) {
      this.running = true;
      // The next turn of the event loop, so that operations issued together share the batch.
      setImmediate(() => void this.run());
    }
  }

  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.failure) {
        const batch = this.queue;
        this.queue = [];
        await this.write(batch);
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private async write(batch: JournalOperation[]): Promise<void> {
    try {
      const placed = batch.flatMap((operation) => operation.records);
      if (placed.length > 0) {
        const { buffer, keyRegions } = encodeBatch(placed.map((entry) => entry.record));
        await this.writeFully(buffer, this.end);
        await this.sync();
        placed.forEach((entry, i) => {
          const region = keyRegions[i];
          if (entry.slot && region !== null) entry.slot.offset = this.end + region;
        });
        this.end += buffer.length;
      }
      const zero = batch.flatMap((operation) => operation.zero);
      for (const slot of zero) await this.writeFully(Buffer.alloc(slot.length), slot.offset);
      if (zero.length > 0) await this.sync();
    } catch (error) {
      this.fail(batch, error);
      return;
    }
    for (const operation of batch) operation.resolve();
  }

  private async sync(): Promise<void> {
    if (!this.fsync) return;
    await this.handle.datasync();
    this.syncs++;
  }

  private async writeFully(buffer: Buffer, position: number): Promise<void> {
    let written = 0;
    while (written < buffer.length) {
      const result = await this.handle.write(buffer, written, buffer.length - written, position + written);
      written += result.bytesWritten;
    }
  }

  private fail(batch: JournalOperation[], cause: unknown): void {
    this.failure = new KeyStoreUnavailableError(
      `Writing the key journal failed; the key store must be reopened: ${(cause as Error)?.message ?? String(cause)}`,
      cause,
    );
    const rejected = [...batch, ...this.queue];
    this.queue = [];
    for (const operation of rejected) operation.reject(this.failure);
  }
}
