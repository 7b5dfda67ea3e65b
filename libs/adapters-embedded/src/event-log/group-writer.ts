/**
 * Group commit: accepted appends queue up while the previous batch is being written; the writer
 * then writes everything queued with one write and one fdatasync and settles all of those
 * appends together, so many concurrent appends cost one disk flush. An append's promise
 * resolves only after its bytes are on stable storage.
 *
 * A failed write or flush leaves the file in an unknown state, so the writer stops for good:
 * the batch and everything queued behind it are rejected and the store must be reopened
 * (recovery then keeps or cuts the unacknowledged tail).
 */
import type { FileHandle } from 'node:fs/promises';
import { EventStoreUnavailableError } from '@cds/application';
import { encodeBatch, type PendingRecord } from './record-format';

export interface WriteRequest {
  /** Consecutive positions, continuing where the previous request ended. */
  readonly records: readonly PendingRecord[];
  resolve(): void;
  reject(error: Error): void;
}

/** What one durable batch added to the file. */
export interface DurableBatch {
  readonly positions: readonly number[];
  /** File offset of each record. */
  readonly offsets: readonly number[];
  /** The bytes written, from file offset `start`. */
  readonly bytes: Buffer;
  readonly start: number;
  readonly lastPosition: number;
  /** File size after the batch. */
  readonly end: number;
}

export interface GroupWriterOptions {
  readonly fsync: boolean;
  /** A batch closes once it holds this many bytes (at least one request always goes in). */
  readonly maxBatchBytes: number;
}

export interface WriterListener {
  /** Runs after a batch is durable and before its appends resolve, so they can read it back. */
  onDurable(batch: DurableBatch): void;
  onFailed(error: Error): void;
}

export class GroupWriter {
  private queue: WriteRequest[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private failure: Error | undefined;

  constructor(
    private readonly handle: FileHandle,
    private end: number,
    private readonly options: GroupWriterOptions,
    private readonly listener: WriterListener,
  ) {}

  /** Set once a write failed; no further writes are attempted. */
  get failed(): Error | undefined {
    return this.failure;
  }

  submit(request: WriteRequest): void {
    if (this.failure) {
      request.reject(this.failure);
      return;
    }
    this.queue.push(request);
    if (!this.running) {
      this.running = true;
      // Start on the next turn of the event loop so appends issued together share the batch.
      setImmediate(() => void this.run());
    }
  }

  /** Resolves when nothing is queued or being written. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.failure) {
        await this.writeBatch(this.takeBatch());
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private takeBatch(): WriteRequest[] {
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || bytes < this.options.maxBatchBytes)) {
      for (const record of this.queue[count].records) bytes += record.bytes;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async writeBatch(batch: WriteRequest[]): Promise<void> {
    const records = batch.flatMap((request) => request.records);
    try {
      const { buffer, offsets } = encodeBatch(records);
      const start = this.end;
      await this.writeFully(buffer, start);
      if (this.options.fsync) await this.handle.datasync();
      this.end = start + buffer.length;
      this.listener.onDurable({
        positions: records.map((record) => record.position),
        offsets: offsets.map((offset) => start + offset),
        bytes: buffer,
        start,
        lastPosition: records[records.length - 1].position,
        end: this.end,
      });
    } catch (error) {
      this.fail(batch, error);
      return;
    }
    for (const request of batch) request.resolve();
  }

  private async writeFully(buffer: Buffer, position: number): Promise<void> {
    let written = 0;
    while (written < buffer.length) {
      const result = await this.handle.write(buffer, written, buffer.length - written, position + written);
      written += result.bytesWritten;
    }
  }

  private fail(batch: WriteRequest[], cause: unknown): void {
    this.failure = new EventStoreUnavailableError(
      `Writing the event log failed; the store must be reopened: ${(cause as Error)?.message ?? String(cause)}`,
      cause,
    );
    // Best effort: drop the partial batch so this process's view and the file agree again.
    void this.handle.truncate(this.end).catch(() => undefined);
    const rejected = [...batch, ...this.queue];
    this.queue = [];
    for (const request of rejected) request.reject(this.failure);
    this.listener.onFailed(this.failure);
  }
}
