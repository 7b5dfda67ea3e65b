/**
 * Opening a log file: migrate a format 1 log, start a new file with its header, restore the
 * index from its snapshot (checking every acknowledged byte against the snapshot's block
 * checksums) or rebuild it with a full scan, then scan what was appended after the snapshot and
 * cut a torn tail. Synchronous reads: this runs before the store serves anything.
 */
import { constants as fsConstants, promises as fsp, readSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { BlockChecksums, CHECKSUM_BLOCK_BYTES, firstDamagedBlock, readRange, readSnapshot, type IndexSnapshot } from './index-snapshot';
import { migrateLegacyLog } from './legacy-migration';
import { EventLogCorruptionError } from './log-errors';
import { LogIndex } from './log-index';
import { scanLog, type BatchMember, type ScanProbe } from './log-scanner';
import { fileHeader, FILE_HEADER_BYTES, headerProblem, probeFileHeader, probeRecord, type RecordHeader } from './record-format';

export interface OpenedLog {
  handle: FileHandle;
  index: LogIndex;
  head: number;
  end: number;
  checksums: BlockChecksums;
  /** Bytes cut from the end because they held an incomplete write, and why. */
  truncatedBytes: number;
  tailProblem?: string;
  /** Where the index snapshot it was restored from ends; -1 after a full scan (a fresh snapshot is worth writing). */
  snapshotEnd: number;
}

interface CurrentRecord extends BatchMember {
  readonly header: RecordHeader;
  readonly bytes: Buffer;
}

function probeCurrent(buffer: Buffer, offset: number): ScanProbe<CurrentRecord> {
  const probe = probeRecord(buffer, offset);
  if (probe.kind !== 'record') return probe;
  const problem = headerProblem(probe.header);
  if (problem !== undefined) return { kind: 'invalid', reason: problem };
  const { header } = probe;
  return { kind: 'record', record: { position: header.position, batchFirst: header.batchFirst, batchLast: header.batchLast, header, bytes: buffer }, length: probe.length };
}

const text = (record: CurrentRecord, from: number, to: number) => record.bytes.toString('utf8', from, to);

export async function openLogFile(file: string, indexFile: string, idempotencyWindow: number, syncDirectory: () => Promise<void>): Promise<OpenedLog> {
  let handle = await fsp.open(file, fsConstants.O_RDWR | fsConstants.O_CREAT);
  try {
    let size = (await handle.stat()).size;
    let truncatedBytes = 0;
    let tailProblem: string | undefined;
    const first = Buffer.alloc(FILE_HEADER_BYTES);
    readSync(handle.fd, first, 0, Math.min(size, FILE_HEADER_BYTES), 0);
    const kind = probeFileHeader(first, size);
    switch (kind.kind) {
      case 'unknown':
        throw new EventLogCorruptionError(file, 0, kind.reason);
      case 'legacy': {
        const migrated = migrateLegacyLog(file, handle.fd, size);
        truncatedBytes = size - migrated.validEnd;
        tailProblem = migrated.tailProblem;
        await handle.close();
        handle = await fsp.open(file, fsConstants.O_RDWR);
        size = (await handle.stat()).size;
        rmSync(indexFile, { force: true });
        await syncDirectory();
        break;
      }
      case 'empty':
        await handle.truncate(0);
        await handle.write(fileHeader(), 0, FILE_HEADER_BYTES, 0);
        await handle.sync();
        await syncDirectory();
        size = FILE_HEADER_BYTES;
        rmSync(indexFile, { force: true });
        break;
      case 'current':
        break;
    }

    const snapshot = usableSnapshot(file, handle.fd, readSnapshot(indexFile), size);
    const index = new LogIndex(idempotencyWindow, snapshot?.columns);
    if (snapshot !== undefined) rememberRecentIds(handle.fd, index, snapshot, idempotencyWindow);
    const start = snapshot?.end ?? FILE_HEADER_BYTES;
    const scan = scanLog({
      file,
      fd: handle.fd,
      size,
      start,
      startHead: snapshot?.head ?? 0,
      probe: probeCurrent,
      onRecord: (record, offset) => {
        const { header } = record;
        const indexed = index.add(
          { id: text(record, header.idAt, header.dataAt), streamId: text(record, header.streamIdAt, header.typeAt), type: text(record, header.typeAt, header.idAt) },
          offset,
        );
        if (indexed.position !== header.position || indexed.revision !== header.revision) {
          throw new EventLogCorruptionError(file, offset, `record ${header.position} has revision ${header.revision}, expected ${indexed.revision}`);
        }
      },
    });
    if (scan.validEnd < size) {
      await handle.truncate(scan.validEnd);
      await handle.sync();
      truncatedBytes += size - scan.validEnd;
      tailProblem ??= scan.tailProblem;
    }
    const checksums = snapshot ? new BlockChecksums(snapshot.blockChecksums, snapshot.end) : new BlockChecksums();
    readRange(handle.fd, snapshot?.end ?? 0, scan.validEnd, (bytes) => checksums.add(bytes));
    return { handle, index, head: scan.head, end: scan.validEnd, checksums, truncatedBytes, tailProblem, snapshotEnd: snapshot?.end ?? -1 };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/**
 * A snapshot that belongs to this file, after checking the file's bytes against it. A snapshot
 * that cannot belong (longer than the file, inconsistent) is ignored; acknowledged bytes that
 * changed under a matching snapshot are damage, reported at the record they hit.
 */
function usableSnapshot(file: string, fd: number, snapshot: IndexSnapshot | undefined, size: number): IndexSnapshot | undefined {
  if (snapshot === undefined || snapshot.end > size || snapshot.end < FILE_HEADER_BYTES) return undefined;
  if (snapshot.blockChecksums.length !== Math.ceil(snapshot.end / CHECKSUM_BLOCK_BYTES) || snapshot.columns.offsets.length !== snapshot.head) return undefined;
  const damaged = firstDamagedBlock(fd, snapshot);
  if (damaged < 0) return snapshot;
  throw damageIn(file, fd, snapshot, damaged);
}

/** The first record of a damaged block whose checksum fails, as a corruption error. */
function damageIn(file: string, fd: number, snapshot: IndexSnapshot, block: number): EventLogCorruptionError {
  const blockStart = block * CHECKSUM_BLOCK_BYTES;
  const blockEnd = Math.min(snapshot.end, blockStart + CHECKSUM_BLOCK_BYTES);
  const { offsets } = snapshot.columns;
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (offsets[middle] <= blockStart) low = middle;
    else high = middle - 1;
  }
  for (let i = low; i < offsets.length && offsets[i] < blockEnd; i++) {
    const end = i + 1 < offsets.length ? offsets[i + 1] : snapshot.end;
    const bytes = Buffer.allocUnsafe(end - offsets[i]);
    readSync(fd, bytes, 0, bytes.length, offsets[i]);
    const probe = probeRecord(bytes, 0);
    if (probe.kind !== 'record') return new EventLogCorruptionError(file, offsets[i], `record ${i + 1}: ${probe.kind === 'bad' ? probe.reason : 'record cut short'}`);
  }
  return new EventLogCorruptionError(file, blockStart, `bytes ${blockStart}..${blockEnd} differ from the index snapshot`);
}

/** The ids of the last events the snapshot covers, for recognising retried appends. */
function rememberRecentIds(fd: number, index: LogIndex, snapshot: IndexSnapshot, window: number): void {
  const firstPosition = Math.max(1, snapshot.head - window + 1);
  if (snapshot.head < firstPosition) return;
  const { offsets } = snapshot.columns;
  const from = offsets[firstPosition - 1];
  let position = firstPosition;
  let pending = Buffer.alloc(0);
  let pendingStart = from;
  readRange(fd, from, snapshot.end, (bytes, offset) => {
    const buffer = pending.length > 0 ? Buffer.concat([pending, bytes]) : Buffer.from(bytes);
    const start = pending.length > 0 ? pendingStart : offset;
    let at = offsets[position - 1] - start;
    while (position <= snapshot.head) {
      const probe = probeRecord(buffer, at, false);
      if (probe.kind !== 'record') break;
      index.rememberId(position, buffer.toString('utf8', probe.header.idAt, probe.header.dataAt));
      at += probe.length;
      position++;
    }
    pending = buffer.subarray(at);
    pendingStart = start + at;
  });
}
