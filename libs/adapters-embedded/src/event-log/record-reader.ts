/**
 * Reads durable records by position with positional reads, coalescing runs of adjacent
 * positions into one read, and keeps a byte-bounded cache of recent payload texts so live
 * subscribers and fresh reads rarely touch the disk. The cache holds text, not parsed objects:
 * every caller gets its own copy of the event and cannot alter what others see.
 */
import type { FileHandle } from 'node:fs/promises';
import type { RecordedEvent } from '@cds/application';
import { probeFrame } from './frame-codec';
import { EventLogCorruptionError } from './log-errors';
import { parseRecord, toRecordedEvent } from './stored-record';

/** Where the durable part of the log ends: reads never go beyond it. */
export interface DurableExtent {
  readonly head: number;
  readonly end: number;
}

export interface RecordLocator {
  offsetOf(position: number): number;
}

/** Largest single read; longer runs are split. */
const MAX_READ_BYTES = 4 * 1024 * 1024;
/** Records at most this far apart are read together. */
const MAX_GAP_BYTES = 16 * 1024;
/** Reads in flight at once for one call (the thread pool runs four by default). */
const PARALLEL_READS = 8;

interface Run {
  readonly start: number;
  end: number;
  readonly positions: number[];
}

export class PayloadCache {
  private readonly texts = new Map<number, string>();
  /** Positions in insertion order from `head` on: a queue, since taking the first key of a
   * Map after many deletions is slow (V8 walks the deleted slots). */
  private order: number[] = [];
  private head = 0;
  private size = 0;

  constructor(private readonly capacityBytes: number) {}

  get(position: number): string | undefined {
    return this.texts.get(position);
  }

  put(position: number, text: string): void {
    if (text.length > this.capacityBytes || this.texts.has(position)) return;
    this.texts.set(position, text);
    this.order.push(position);
    this.size += text.length;
    // First in, first out: the tail of the log is what is read most.
    while (this.size > this.capacityBytes && this.head < this.order.length) {
      const oldest = this.order[this.head++];
      this.size -= this.texts.get(oldest)?.length ?? 0;
      this.texts.delete(oldest);
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}

export class RecordReader {
  constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly locator: RecordLocator,
    private readonly cache: PayloadCache,
  ) {}

  /** The events at `positions` (all durable), in the order given. */
  async read(positions: readonly number[], extent: DurableExtent): Promise<RecordedEvent[]> {
    const texts = new Map<number, string>();
    const missing: number[] = [];
    for (const position of positions) {
      const cached = this.cache.get(position);
      if (cached === undefined) missing.push(position);
      else texts.set(position, cached);
    }
    missing.sort((a, b) => a - b);
    const runs = this.runs(missing, extent);
    for (let i = 0; i < runs.length; i += PARALLEL_READS) {
      await Promise.all(runs.slice(i, i + PARALLEL_READS).map((run) => this.readRun(run, extent, texts)));
    }
    return positions.map((position) => this.decode(position, texts.get(position)!));
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
      const end = this.frameEnd(position, extent);
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

  private frameEnd(position: number, extent: DurableExtent): number {
    return position < extent.head ? this.locator.offsetOf(position + 1) : extent.end;
  }

  private async readRun(run: Run, extent: DurableExtent, into: Map<number, string>): Promise<void> {
    const buffer = Buffer.allocUnsafe(run.end - run.start);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await this.handle.read(buffer, filled, buffer.length - filled, run.start + filled);
      if (bytesRead === 0) throw new EventLogCorruptionError(this.file, run.start + filled, 'file ends inside a durable record');
      filled += bytesRead;
    }
    for (const position of run.positions) {
      const offset = this.locator.offsetOf(position);
      const frame = buffer.subarray(offset - run.start, this.frameEnd(position, extent) - run.start);
      const probe = probeFrame(frame, 0);
      if (probe.kind !== 'frame' || probe.frameLength !== frame.length) {
        const reason = probe.kind === 'bad' ? probe.reason : 'record length does not match the index';
        throw new EventLogCorruptionError(this.file, offset, `record ${position}: ${reason}`);
      }
      const text = probe.payload.toString('utf8');
      this.cache.put(position, text);
      into.set(position, text);
    }
  }

  private decode(position: number, text: string): RecordedEvent {
    const record = parseRecord(text);
    if (typeof record === 'string' || record.position !== position) {
      const reason = typeof record === 'string' ? record : `holds position ${record.position}`;
      throw new EventLogCorruptionError(this.file, this.locator.offsetOf(position), `record ${position}: ${reason}`);
    }
    return toRecordedEvent(record);
  }
}
