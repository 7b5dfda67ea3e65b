/**
 * Reads durable records by position with positional reads, coalescing runs of nearby records
 * into one read, and keeps the most recent write batches as the bytes that went to disk, so live
 * subscribers and fresh reads rarely touch the file. A record read from the file is checked
 * against its checksum before it is decoded (see log-event.ts).
 */
import type { FileHandle } from 'node:fs/promises';
import type { RecordedEvent } from '@cds/application';
import { decodeEvent } from './log-event';
import { EventLogCorruptionError } from './log-errors';
import { headerProblem, probeRecord } from './record-format';

/** Where the durable part of the log ends: reads never go beyond it. */
export interface DurableExtent {
  readonly head: number;
  readonly end: number;
}

export interface RecordLocator {
  offsetOf(position: number): number;
  streamIdAt(position: number): string;
  typeAt(position: number): string;
}

/** Largest single read; longer runs are split. */
const MAX_READ_BYTES = 4 * 1024 * 1024;
/** Records at most this far apart are read together. */
const MAX_GAP_BYTES = 16 * 1024;
/** Reads in flight at once for one call (the thread pool runs four by default). */
const PARALLEL_READS = 8;
/** Smallest read buffer allocated, so that short reads share buffers too. */
const MIN_BUFFER_BYTES = 64 * 1024;

interface Run {
  readonly start: number;
  end: number;
  readonly positions: number[];
}

/** The last write batches as written, byte-bounded, oldest dropped first. */
export class TailCache {
  private segments: Array<{ start: number; bytes: Buffer }> = [];
  private size = 0;

  constructor(private readonly capacityBytes: number) {}

  put(start: number, bytes: Buffer): void {
    if (bytes.length > this.capacityBytes) return;
    this.segments.push({ start, bytes });
    this.size += bytes.length;
    let drop = 0;
    while (this.size > this.capacityBytes) this.size -= this.segments[drop++].bytes.length;
    if (drop > 0) this.segments = this.segments.slice(drop);
  }

  /** The bytes [start, end) when one cached batch holds all of them. */
  get(start: number, end: number): { bytes: Buffer; offset: number } | undefined {
    const segments = this.segments;
    if (segments.length === 0 || start < segments[0].start) return undefined;
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (segments[middle].start <= start) low = middle;
      else high = middle - 1;
    }
    const segment = segments[low];
    return end <= segment.start + segment.bytes.length ? { bytes: segment.bytes, offset: start - segment.start } : undefined;
  }
}

export class RecordReader {
  private readonly buffers = new ReadBuffers();

  constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly locator: RecordLocator,
    private readonly cache: TailCache,
  ) {}

  /** The events at `positions` (all durable), in the order given. */
  async read(positions: readonly number[], extent: DurableExtent): Promise<RecordedEvent[]> {
    const events = new Map<number, RecordedEvent>();
    const missing: number[] = [];
    for (const position of positions) {
      const start = this.locator.offsetOf(position);
      const end = this.recordEnd(position, extent);
      const cached = this.cache.get(start, end);
      if (cached === undefined) missing.push(position);
      else events.set(position, this.decode(position, cached.bytes, cached.offset, cached.offset + end - start, false));
    }
    if (missing.length > 0) {
      missing.sort((a, b) => a - b);
      const runs = this.runs(missing, extent);
      for (let i = 0; i < runs.length; i += PARALLEL_READS) {
        await Promise.all(runs.slice(i, i + PARALLEL_READS).map((run) => this.readRun(run, extent, events)));
      }
    }
    return positions.map((position) => events.get(position)!);
  }

  /**
   * Groups ascending positions into byte ranges to read in one go: neighbours, and records a
   * short gap apart (reading a few unwanted bytes is cheaper than another read call).
   */
  private runs(sorted: readonly number[], extent: DurableExtent): Run[] {
    const runs: Run[] = [];
    let run: Run | undefined;
    for (const position of sorted) {
      const start = this.locator.offsetOf(position);
      const end = this.recordEnd(position, extent);
      if (run && start >= run.end && start - run.end <= MAX_GAP_BYTES && end - run.start <= MAX_READ_BYTES) {
        run.positions.push(position);
        run.end = end;
      } else {
        run = { start, end, positions: [position] };
        runs.push(run);
      }
    }
    return runs;
  }

  private recordEnd(position: number, extent: DurableExtent): number {
    return position < extent.head ? this.locator.offsetOf(position + 1) : extent.end;
  }

  private async readRun(run: Run, extent: DurableExtent, into: Map<number, RecordedEvent>): Promise<void> {
    const length = run.end - run.start;
    const buffer = this.buffers.take(length);
    try {
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await this.handle.read(buffer, filled, length - filled, run.start + filled);
        if (bytesRead === 0) throw new EventLogCorruptionError(this.file, run.start + filled, 'file ends inside a durable record');
        filled += bytesRead;
      }
      for (const position of run.positions) {
        const start = this.locator.offsetOf(position) - run.start;
        const end = this.recordEnd(position, extent) - run.start;
        into.set(position, this.decode(position, buffer, start, end, true));
      }
    } finally {
      // Decoded events keep nothing of the bytes: the buffer serves the next read.
      this.buffers.give(buffer);
    }
  }

  /** The event of the record in bytes [start, end) (exactly the record, as the index places it). */
  private decode(position: number, bytes: Buffer, start: number, end: number, verify: boolean): RecordedEvent {
    const probe = probeRecord(bytes, start, verify);
    if (probe.kind === 'bad') throw this.damaged(position, probe.reason);
    if (probe.kind === 'short' || probe.length !== end - start) throw this.damaged(position, 'record length does not match the index');
    const invalid = headerProblem(probe.header) ?? (probe.header.position === position ? undefined : `holds position ${probe.header.position}`);
    if (invalid !== undefined) throw this.damaged(position, invalid);
    return decodeEvent(this.locator.streamIdAt(position), this.locator.typeAt(position), bytes, probe.header);
  }

  private damaged(position: number, reason: string): EventLogCorruptionError {
    return new EventLogCorruptionError(this.file, this.locator.offsetOf(position), `record ${position}: ${reason}`);
  }
}

/**
 * Read buffers kept for the next reads, so that reading the log does not allocate (and leave for
 * the collector) a buffer per run of records. At most `MAX_KEPT` of them, each at most one read.
 */
class ReadBuffers {
  private readonly free: Buffer[] = [];

  /** A buffer of at least `length` bytes. */
  take(length: number): Buffer {
    const index = this.free.findIndex((buffer) => buffer.length >= length);
    if (index >= 0) return this.free.splice(index, 1)[0];
    return Buffer.allocUnsafe(Math.min(MAX_READ_BYTES, Math.max(length, MIN_BUFFER_BYTES)));
  }

  give(buffer: Buffer): void {
    if (this.free.length < PARALLEL_READS && buffer.length <= MAX_READ_BYTES) this.free.push(buffer);
  }
}
