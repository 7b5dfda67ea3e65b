/**
 * Logs written in format 1 (no file header, JSON records) are migrated when they are opened:
 * every record of every complete write is rewritten in the current format, write by write (so
 * batch bounds, positions, revisions, ids and times are kept), into a new file that replaces the
 * old one by an atomic rename once it is on stable storage. A crash during the migration leaves
 * the old file in place, and the next open starts over. A torn tail is cut as it would have been;
 * damage to acknowledged records refuses the migration and leaves the file untouched.
 */
import { closeSync, fdatasyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { EventLogCorruptionError } from './log-errors';
import { scanLog, type ScanResult } from './log-scanner';
import { encodeBatch, fileHeader, pendingRecord, type PendingRecord } from './record-format';
import { probeLegacyRecord } from './legacy-format';

const FLUSH_BYTES = 4 * 1024 * 1024;

/** Rewrites the format 1 log `file` (open as `fd`, `size` bytes) in the current format. */
export function migrateLegacyLog(file: string, fd: number, size: number): ScanResult {
  const temporary = `${file}.migrating`;
  const out = openSync(temporary, 'w');
  try {
    let pending: Buffer[] = [fileHeader()];
    let pendingBytes = pending[0].length;
    let written = 0;
    const flush = () => {
      const chunk = Buffer.concat(pending, pendingBytes);
      for (let at = 0; at < chunk.length; ) at += writeSync(out, chunk, at, chunk.length - at, written + at);
      written += chunk.length;
      pending = [];
      pendingBytes = 0;
    };
    let batch: PendingRecord[] = [];
    const scan = scanLog({
      file,
      fd,
      size,
      start: 0,
      startHead: 0,
      probe: probeLegacyRecord,
      onRecord: (record, offset) => {
        const createdMs = Date.parse(record.created);
        if (Number.isNaN(createdMs)) throw new EventLogCorruptionError(file, offset, `record ${record.position} has no valid creation time`);
        batch.push(
          pendingRecord({
            position: record.position,
            revision: record.revision,
            createdMs,
            streamId: record.streamId,
            type: record.type,
            id: record.id,
            dataJson: JSON.stringify(record.data ?? null),
            metadataJson: JSON.stringify(record.metadata),
          }),
        );
        if (record.position !== record.batchLast) return;
        const { buffer } = encodeBatch(batch);
        batch = [];
        pending.push(buffer);
        pendingBytes += buffer.length;
        if (pendingBytes >= FLUSH_BYTES) flush();
      },
    });
    flush();
    fdatasyncSync(out);
    closeSync(out);
    renameSync(temporary, file);
    return scan;
  } catch (error) {
    try {
      closeSync(out);
    } catch {
      // already closed
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}
