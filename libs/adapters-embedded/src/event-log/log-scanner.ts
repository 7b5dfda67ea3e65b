/**
 * Recovery scan of the log file at open. Walks the frames from the start and hands every record
 * of a complete write batch to `onRecord`. What follows the last complete batch is either the
 * torn remains of the write that was in flight when the process died (cut by the caller), or
 * damage to data that had been acknowledged (reported as corruption).
 *
 * Only the last batch can be torn: the writer starts a batch only after the previous one was
 * fsynced. A crash may persist that batch's pages in any order, so intact frames after a bad
 * one are still a torn write when they belong to that same batch; intact frames of a later
 * batch prove the damage hit acknowledged data. (The flip side: damage that hits the last batch
 * after it was acknowledged cannot be told from a torn write and is cut as well, with a warning.)
 *
 * The scan uses synchronous reads: it runs once, before the store serves anything.
 */
import { readSync } from 'node:fs';
import { FRAME_HEADER_BYTES, probeFrame, type FrameProbe } from './frame-codec';
import { EventLogCorruptionError } from './log-errors';
import { parseRecord, type StoredRecord } from './stored-record';

export interface ScanResult {
  /** Bytes from the start of the file that hold complete batches. */
  readonly validEnd: number;
  /** Position of the last event of the last complete batch (0 when none). */
  readonly head: number;
  /** Why the bytes after `validEnd` were not accepted, when there are any. */
  readonly tailProblem?: string;
}

const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/** Sequential view of the file through one reusable buffer, reading more as frames need it. */
class FileWindow {
  private buffer = Buffer.alloc(0);
  private start = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Probes the frame at `offset`, reading as much of the file as the frame claims to need. */
  probe(offset: number): FrameProbe {
    const end = this.start + this.buffer.length;
    if (offset >= this.start && offset <= end) {
      const probe = probeFrame(this.buffer, offset - this.start);
      // Short inside a window that reaches the end of the file: the frame really is cut off.
      if (probe.kind !== 'short' || end >= this.size) return probe;
      this.load(offset, probe.needed);
    } else {
      this.load(offset, FRAME_HEADER_BYTES);
    }
    const probe = probeFrame(this.buffer, 0);
    if (probe.kind === 'short' && offset + this.buffer.length < this.size) {
      this.load(offset, probe.needed);
      return probeFrame(this.buffer, 0);
    }
    return probe;
  }

  private load(offset: number, atLeast: number): void {
    const length = Math.min(Math.max(atLeast, READ_CHUNK_BYTES), this.size - offset);
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

interface PendingRecord {
  readonly record: StoredRecord;
  readonly offset: number;
}

export function scanLog(
  file: string,
  fd: number,
  size: number,
  onRecord: (record: StoredRecord, offset: number) => void,
): ScanResult {
  const window = new FileWindow(fd, size);
  let offset = 0;
  let head = 0;
  let validEnd = 0;
  let batch: PendingRecord[] = [];
  let stop: string | undefined;

  while (offset < size) {
    const probe = window.probe(offset);
    if (probe.kind !== 'frame') {
      stop = probe.kind === 'short' ? 'incomplete record at the end of the file' : probe.reason;
      break;
    }
    const record = parseRecord(probe.payload.toString('utf8'));
    // An intact checksum over an unreadable or misplaced record is not a torn write.
    if (typeof record === 'string') throw new EventLogCorruptionError(file, offset, record);
    const expectedPosition = head + batch.length + 1;
    if (record.position !== expectedPosition) {
      throw new EventLogCorruptionError(file, offset, `expected position ${expectedPosition}, found ${record.position}`);
    }
    const [first, last] = record.batch;
    const batchFirst = head + 1;
    if (first !== batchFirst || (batch.length > 0 && last !== batch[0].record.batch[1])) {
      throw new EventLogCorruptionError(file, offset, `record ${record.position} has inconsistent batch bounds ${first}..${last}`);
    }
    batch.push({ record, offset });
    offset += probe.frameLength;
    if (record.position === last) {
      for (const pending of batch) onRecord(pending.record, pending.offset);
      batch = [];
      head = last;
      validEnd = offset;
    }
  }

  if (validEnd === size) return { validEnd, head };
  if (stop !== undefined) assertOnlyTornBatchFollows(file, window, offset, head + 1);
  return { validEnd, head, tailProblem: stop ?? 'the last write is incomplete' };
}

/**
 * After a bad frame at `badOffset`, looks for intact frames further on. Any that does not belong
 * to the batch starting at `tornBatchFirst` means acknowledged data was damaged.
 */
function assertOnlyTornBatchFollows(file: string, window: FileWindow, badOffset: number, tornBatchFirst: number): void {
  let at = badOffset + 1;
  while (at + FRAME_HEADER_BYTES <= window.size) {
    const probe = window.probe(at);
    if (probe.kind !== 'frame') {
      at += 1;
      continue;
    }
    const record = parseRecord(probe.payload.toString('utf8'));
    if (typeof record === 'string') {
      at += 1;
      continue;
    }
    if (record.batch[0] !== tornBatchFirst) {
      throw new EventLogCorruptionError(
        file,
        badOffset,
        `damaged record followed by intact records (position ${record.position} at byte ${at})`,
      );
    }
    at += probe.frameLength;
  }
}
