/**
 * The embedded, durable EventStore: one append-only file of records with binary headers in a
 * directory, an in-memory index restored at open from its snapshot on disk, one writer per
 * directory, group-committed appends. Reads and subscriptions only see durable events.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type LogFilter,
  type LogPosition,
  type LogSubscription,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from '@cds/application';
import { decideAppend } from './append-rules';
import { toJson, validateAppend } from './append-validation';
import { ChangeSignal } from './change-signal';
import { DirectoryLock } from './directory-lock';
import { GroupWriter, type DurableBatch } from './group-writer';
import { BlockChecksums, INDEX_FILE_NAME, writeSnapshot } from './index-snapshot';
import { countUpTo, LogIndex } from './log-index';
import { openLogFile } from './log-opening';
import { FileLogSubscription, type SubscriptionSource } from './log-subscription';
import { pendingRecord, type PendingRecord } from './record-format';
import { RecordReader, TailCache, type DurableExtent } from './record-reader';

export const LOG_FILE_NAME = 'events.log';
export const LOCK_FILE_NAME = 'events.lock';
export { INDEX_FILE_NAME };

export interface FileEventStoreOptions {
  /** Created when missing. */
  directory: string;
  /** Flush every batch to stable storage before acknowledging it. Only turn off for throwaway data. */
  fsync?: boolean;
  /** Receives recovery warnings such as a cut torn tail. Defaults to process warnings. */
  onWarning?: (message: string) => void;
  /** Bytes of the most recent writes kept in memory for reads. */
  cacheBytes?: number;
  /** How many recent event ids are remembered to recognise retried appends with 'any'. */
  idempotencyWindow?: number;
  /** A write batch closes once it holds this many bytes. */
  maxBatchBytes?: number;
  /** The index snapshot is rewritten after the log grew by this many bytes (and at close). */
  snapshotEveryBytes?: number;
}

/** What open found at the end of the file. */
export interface RecoveryReport {
  /** Bytes cut from the end of the file because they held an incomplete write. */
  readonly truncatedBytes: number;
  readonly reason?: string;
}

const DEFAULTS = {
  fsync: true,
  cacheBytes: 8 * 1024 * 1024,
  idempotencyWindow: 50_000,
  maxBatchBytes: 8 * 1024 * 1024,
  snapshotEveryBytes: 64 * 1024 * 1024,
};

export class FileEventStore implements EventStore {
  private extent: DurableExtent;
  private state: 'open' | 'closing' = 'open';
  private closing: Promise<void> | undefined;
  private readonly signal = new ChangeSignal();
  private readonly subscriptions = new Set<FileLogSubscription>();
  private readonly writer: GroupWriter;
  private readonly reader: RecordReader;
  private readonly cache: TailCache;
  /** The index snapshot being written, and the log size the last one covered. */
  private snapshotting: Promise<void> | undefined;
  private snapshotEnd: number;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly lock: DirectoryLock,
    private readonly index: LogIndex,
    private readonly checksums: BlockChecksums,
    head: number,
    end: number,
    snapshotEnd: number,
    readonly recovery: RecoveryReport,
    private readonly options: typeof DEFAULTS & { warn: (message: string) => void },
  ) {
    this.extent = { head, end };
    this.snapshotEnd = snapshotEnd;
    this.cache = new TailCache(options.cacheBytes);
    this.reader = new RecordReader(file, handle, index, this.cache);
    this.writer = new GroupWriter(handle, end, options, {
      onDurable: (batch) => this.onDurable(batch),
      // Wakes anyone waiting for durability so they see the failure.
      onFailed: () => this.signal.notify(),
    });
  }

  static async open(options: FileEventStoreOptions): Promise<FileEventStore> {
    const settings = {
      fsync: options.fsync ?? DEFAULTS.fsync,
      cacheBytes: options.cacheBytes ?? DEFAULTS.cacheBytes,
      idempotencyWindow: options.idempotencyWindow ?? DEFAULTS.idempotencyWindow,
      maxBatchBytes: options.maxBatchBytes ?? DEFAULTS.maxBatchBytes,
      snapshotEveryBytes: options.snapshotEveryBytes ?? DEFAULTS.snapshotEveryBytes,
      warn: options.onWarning ?? ((message: string) => process.emitWarning(message, 'EventLogWarning')),
    };
    await fsp.mkdir(options.directory, { recursive: true });
    // The real path, so that two spellings of one directory meet the same lock.
    const directory = await fsp.realpath(options.directory);
    const lock = await DirectoryLock.acquire(path.join(directory, LOCK_FILE_NAME));
    const file = path.join(directory, LOG_FILE_NAME);
    try {
      const opened = await openLogFile(file, path.join(directory, INDEX_FILE_NAME), settings.idempotencyWindow, () => syncDirectory(directory));
      let recovery: RecoveryReport = { truncatedBytes: 0 };
      if (opened.truncatedBytes > 0) {
        recovery = { truncatedBytes: opened.truncatedBytes, reason: opened.tailProblem };
        settings.warn(
          `Event log ${file}: cut ${recovery.truncatedBytes} bytes after position ${opened.head} ` +
            `(${opened.tailProblem}): the remains of a write interrupted by a crash`,
        );
      }
      const store = new FileEventStore(
        file,
        opened.handle,
        lock,
        opened.index,
        opened.checksums,
        opened.head,
        opened.end,
        opened.snapshotEnd,
        recovery,
        settings,
      );
      // A full scan's work is kept for the next open.
      if (opened.snapshotEnd < 0) store.snapshotInBackground();
      return store;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    // Everything up to the hand-over to the writer is synchronous: the revision check and the
    // position assignment cannot interleave with another append.
    try {
      this.assertWritable();
      validateAppend(streamId, events, expected);
      const lastRevision = this.index.lastRevision(streamId);
      const decision = decideAppend(lastRevision, expected, events.map((event) => event.id), (id) =>
        this.index.recentRevision(streamId, id),
      );
      if (decision.kind === 'wrong') {
        throw new WrongExpectedRevisionError(streamId, expected, lastRevision < 0 ? 'no_stream' : lastRevision);
      }
      if (decision.kind === 'retry_candidate') {
        return this.confirmRetry(streamId, events, expected, decision.start, lastRevision);
      }
      if (events.length === 0) return this.currentResult(streamId, lastRevision);
      return this.enqueue(streamId, events);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertReadable();
    const extent = this.extent;
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (!(maxCount > 0)) return [];
    let positions: number[];
    if (options.direction === 'backwards') {
      const all = this.index.streamPositions(streamId);
      const durable = countUpTo(all, extent.head);
      const from = Math.min(options.fromRevision ?? durable - 1, durable - 1);
      if (from < 0) return [];
      const to = Math.max(0, from - maxCount + 1);
      positions = all.slice(to, from + 1).reverse();
    } else {
      // Only the positions from `fromRevision` on are looked up: a catch-up read costs its new events.
      const tail = this.index.streamPositions(streamId, Math.max(0, options.fromRevision ?? 0));
      positions = tail.slice(0, Math.min(countUpTo(tail, extent.head), maxCount));
    }
    return positions.length === 0 ? [] : this.reader.read(positions, extent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.readPage(options.after, options.maxCount, options.filter)).events;
  }

  subscribeToAll(options: SubscribeOptions = {}): LogSubscription {
    this.assertReadable();
    const subscription = new FileLogSubscription(this.subscriptionSource, options.after, options.filter);
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<LogPosition | null> {
    this.assertReadable();
    return this.extent.head > 0 ? this.extent.head : null;
  }

  /** Flushes accepted appends, ends subscriptions, releases the file and the directory lock. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.state = 'closing';
      await this.writer.idle();
      await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
      this.signal.notify();
      await this.snapshotting;
      if (this.extent.end !== this.snapshotEnd) await this.snapshot();
      await this.handle.close();
      await this.lock.release();
    })();
    return this.closing;
  }

  private readonly subscriptionSource: SubscriptionSource = {
    durableHead: () => this.extent.head,
    readPage: (after, maxCount, filter) => this.readPage(after, maxCount, filter),
    changed: () => this.signal.wait(),
    isClosing: () => this.state !== 'open',
    unregister: (subscription) => this.subscriptions.delete(subscription),
  };

  private async readPage(
    after: number | undefined,
    maxCount: number,
    filter: LogFilter | undefined,
  ): Promise<{ events: RecordedEvent[]; scannedTo: number }> {
    this.assertReadable();
    const extent = this.extent;
    const from = after !== undefined && after > 0 ? Math.floor(after) : 0;
    if (!(maxCount > 0)) return { events: [], scannedTo: from };
    const { positions, scannedTo } = this.index.scan(from, extent.head, maxCount, filter);
    return { events: await this.reader.read(positions, extent), scannedTo };
  }

  private enqueue(streamId: string, events: NewEvent[]): Promise<AppendResult> {
    // Build every record before indexing any: data that cannot be stored is refused before it
    // takes a position. Positions and revisions simply continue from the index.
    const createdMs = Date.now();
    const firstPosition = this.index.lastPosition + 1;
    const firstRevision = this.index.lastRevision(streamId) + 1;
    const records: PendingRecord[] = events.map((event, i) =>
      pendingRecord({
        position: firstPosition + i,
        revision: firstRevision + i,
        createdMs,
        streamId,
        type: event.type,
        id: event.id,
        dataJson: toJson(event.data, 'data'),
        metadataJson: toJson(event.metadata, 'metadata'),
      }),
    );
    for (const event of events) this.index.add({ id: event.id, streamId, type: event.type });
    const result: AppendResult = {
      nextRevision: firstRevision + events.length - 1,
      position: firstPosition + events.length - 1,
      written: true,
    };
    return new Promise<AppendResult>((resolve, reject) => {
      this.writer.submit({ records, resolve: () => resolve(result), reject });
    });
  }

  /** A possible retry: it succeeds if the stream already holds exactly these events there. */
  private async confirmRetry(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    start: number,
    lastRevision: number,
  ): Promise<AppendResult> {
    const positions = this.index.streamPositions(streamId, start).slice(0, events.length);
    const lastPosition = positions[positions.length - 1];
    await this.waitUntilDurable(lastPosition);
    const stored = await this.reader.read(positions, this.extent);
    if (stored.every((event, i) => event.id === events[i].id)) {
      return { nextRevision: start + events.length - 1, position: lastPosition, written: false };
    }
    throw new WrongExpectedRevisionError(streamId, expected, lastRevision < 0 ? 'no_stream' : lastRevision);
  }

  /** An empty append that passed its revision check: nothing to write, report the stream as it is. */
  private async currentResult(streamId: string, lastRevision: number): Promise<AppendResult> {
    if (lastRevision < 0) return { nextRevision: -1, position: 0 };
    const [position] = this.index.streamPositions(streamId, lastRevision);
    await this.waitUntilDurable(position);
    return { nextRevision: lastRevision, position };
  }

  private async waitUntilDurable(position: number): Promise<void> {
    while (this.extent.head < position) {
      const failure = this.writer.failed;
      if (failure) throw failure;
      await this.signal.wait();
    }
  }

  private onDurable(batch: DurableBatch): void {
    batch.positions.forEach((position, i) => this.index.setOffset(position, batch.offsets[i]));
    this.cache.put(batch.start, batch.bytes);
    this.checksums.add(batch.bytes);
    this.extent = { head: batch.lastPosition, end: batch.end };
    this.signal.notify();
    if (batch.end - this.snapshotEnd >= this.options.snapshotEveryBytes) this.snapshotInBackground();
  }

  /** Writes the index snapshot unless one is being written; a failure is a warning, never a failed append. */
  private snapshotInBackground(): void {
    if (this.snapshotting !== undefined) return;
    this.snapshotting = this.snapshot().finally(() => {
      this.snapshotting = undefined;
    });
  }

  /** The index up to the durable head, with the checksums of the bytes it covers. */
  private async snapshot(): Promise<void> {
    if (this.writer.failed) return;
    const { head, end } = this.extent;
    try {
      await writeSnapshot(path.join(path.dirname(this.file), INDEX_FILE_NAME), {
        head,
        end,
        columns: this.index.columns(head),
        blockChecksums: this.checksums.values(),
      });
      this.snapshotEnd = end;
    } catch (error) {
      this.options.warn(`Event log ${this.file}: could not write the index snapshot: ${(error as Error).message}`);
    }
  }

  private assertWritable(): void {
    if (this.state !== 'open') throw new EventStoreUnavailableError(`Event log ${this.file} is closed`);
    const failure = this.writer.failed;
    if (failure) throw failure;
  }

  private assertReadable(): void {
    if (this.closing) throw new EventStoreUnavailableError(`Event log ${this.file} is closed`);
  }
}

/** Makes a newly created file's directory entry durable (not supported everywhere; best effort). */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fsp.open(directory, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot open or fsync a directory.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
