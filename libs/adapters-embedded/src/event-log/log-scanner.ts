/**
 * Recovery scan of a log file: walks the records from `start` and hands every record of a
 * complete write batch to `onRecord`. What follows the last complete batch is either the torn
 * remains of the write that was in flight when the process died (cut by the caller), or damage
 * to data that had been acknowledged (reported as corruption).
 *
 * Only the last batch can be torn: the writer starts a batch only after the previous one was
 * fsynced. A crash may persist that batch's pages in any order, so intact records after a bad
 * one are still a torn write when they belong to that same batch; intact records of a later
 * batch prove the damage hit acknowledged data. (The flip side: damage that hits the last batch
 * after it was acknowledged cannot be told from a torn write and is cut as well, with a warning.)
 *
 * The scan is written once for both record formats (the current one and the one older logs are
 * migrated from) and uses synchronous reads: it runs before the store serves anything.
 */
import { readSync } from 'node:fs';
import { EventLogCorruptionError } from './log-errors';

/** What the scanner needs of a record: where it sits and which write it belongs to. */
export interface BatchMember {
  readonly position: number;
  readonly batchFirst: number;
  readonly batchLast: number;
}

export type ScanProbe<R extends BatchMember> =
  | { readonly kind: 'record'; readonly record: R; readonly length: number }
  /** The bytes end before the record does (`needed` bytes from its start would be required). */
  | { readonly kind: 'short'; readonly needed: number }
  /** Not a record: impossible lengths or a checksum mismatch (what a torn write leaves). */
  | { readonly kind: 'bad'; readonly reason: string }
  /** An intact checksum over content that is not a record: never a torn write. */
  | { readonly kind: 'invalid'; readonly reason: string };

/** Reads one record of a format at `offset` of a buffer; views into the buffer stay valid. */
export type RecordProber<R extends BatchMember> = (buffer: Buffer, offset: number) => ScanProbe<R>;

export interface ScanResult {
  /** Bytes from the start of the file that hold complete batches. */
  readonly validEnd: number;
  /** Position of the last event of the last complete batch (`startHead` when none). */
  readonly head: number;
  /** Why the bytes after `validEnd` were not accepted, when there are any. */
  readonly tailProblem?: string;
}

const READ_CHUNK_BYTES = 4 * 1024 * 1024;
const MIN_PROBE_BYTES = 8;

/** Sequential view of the file through a buffer, reading more as records need it. */
class FileWindow {
  private buffer = Buffer.alloc(0);
  private start = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  probe<R extends BatchMember>(offset: number, prober: RecordProber<R>): ScanProbe<R> {
    const end = this.start + this.buffer.length;
    if (offset >= this.start && offset <= end) {
      const probe = prober(this.buffer, offset - this.start);
      // Short inside a window that reaches the end of the file: the record really is cut off.
      if (probe.kind !== 'short' || end >= this.size) return probe;
      this.load(offset, probe.needed);
    } else {
      this.load(offset, MIN_PROBE_BYTES);
    }
    const probe = prober(this.buffer, 0);
    if (probe.kind === 'short' && offset + this.buffer.length < this.size) {
      this.load(offset, probe.needed);
      return prober(this.buffer, 0);
    }
    return probe;
  }

  private load(offset: number, atLeast: number): void {
    const length = Math.min(Math.max(atLeast, READ_CHUNK_BYTES), this.size - offset);
    // A fresh buffer each time: records handed out earlier keep viewing the old one.
    const buffer = Buffer.allocUnsafe(Math.max(length, 0));
    let filled = 0;
    while (filled < length) {
      const read = readSync(this.fd, buffer, filled, length - filled, offset + filled);
      if (read === 0) break;
      filled += read;
    }
    this.buffer = buffer.subarray(0, filled);
    this.start = offset;
  }
}

export interface ScanOptions<R extends BatchMember> {
  file: string;
  fd: number;
  size: number;
  /** Where the records start (after a file header, or where an index snapshot ends). */
  start: number;
  /** Position of the last record before `start`. */
  startHead: number;
  probe: RecordProber<R>;
  onRecord: (record: R, offset: number) => void;
}

export function scanLog<R extends BatchMember>(options: ScanOptions<R>): ScanResult {
  const { file, size, probe } = options;
  const window = new FileWindow(options.fd, size);
  let offset = options.start;
  let head = options.startHead;
  let validEnd = options.start;
  let batch: Array<{ record: R; offset: number }> = [];
  let stop: string | undefined;

  while (offset < size) {
    const found = window.probe(offset, probe);
    if (found.kind === 'invalid') throw new EventLogCorruptionError(file, offset, found.reason);
    if (found.kind !== 'record') {
      stop = found.kind === 'short' ? 'incomplete record at the end of the file' : found.reason;
      break;
    }
    const { record } = found;
    const expectedPosition = head + batch.length + 1;
    if (record.position !== expectedPosition) {
      throw new EventLogCorruptionError(file, offset, `expected position ${expectedPosition}, found ${record.position}`);
    }
    if (record.batchFirst !== head + 1 || (batch.length > 0 && record.batchLast !== batch[0].record.batchLast)) {
      throw new EventLogCorruptionError(file, offset, `record ${record.position} has inconsistent batch bounds ${record.batchFirst}..${record.batchLast}`);
    }
    batch.push({ record, offset });
    offset += found.length;
    if (record.position === record.batchLast) {
      for (const member of batch) options.onRecord(member.record, member.offset);
      batch = [];
      head = record.batchLast;
      validEnd = offset;
    }
  }

  if (validEnd === size) return { validEnd, head };
  if (stop !== undefined) assertOnlyTornBatchFollows(file, window, probe, offset, head + 1);
  return { validEnd, head, tailProblem: stop ?? 'the last write is incomplete' };
}

/**
 * After a bad record at `badOffset`, looks for intact records further on. Any that does not
 * belong to the batch starting at `tornBatchFirst` means acknowledged data was damaged.
 */
function assertOnlyTornBatchFollows<R extends BatchMember>(
  file: string,
  window: FileWindow,
  probe: RecordProber<R>,
  badOffset: number,
  tornBatchFirst: number,
): void {
  let at = badOffset + 1;
  while (at + MIN_PROBE_BYTES <= window.size) {
    const found = window.probe(at, probe);
    if (found.kind !== 'record') {
      at += 1;
      continue;
    }
    if (found.record.batchFirst !== tornBatchFirst) {
      throw new EventLogCorruptionError(
        file,
        badOffset,
        `damaged record followed by intact records (position ${found.record.position} at byte ${at})`,
      );
    }
    at += found.length;
  }
}
