import type { FileHandle } from 'node:fs/promises';
import { EventStoreUnavailableError } from '@cds/application';
import { GroupWriter, type DurableBatch } from './group-writer';
import { pendingRecord, probeRecord, type PendingRecord } from './record-format';

/** Records what the writer asks of the file; `failWrites` makes every write throw. */
function fakeHandle(options: { failWrites?: boolean } = {}) {
  const calls: string[] = [];
  const handle = {
    write: async (buffer: Buffer, offset: number, length: number, position: number) => {
      calls.push(`write ${length}@${position}`);
      if (options.failWrites) throw new Error('disk on fire');
      return { bytesWritten: length, buffer };
    },
    datasync: async () => {
      calls.push('datasync');
    },
    truncate: async (length: number) => {
      calls.push(`truncate ${length}`);
    },
  };
  return { handle: handle as unknown as FileHandle, calls };
}

const body = (position: number): PendingRecord =>
  pendingRecord({
    id: `e${position}`,
    streamId: `s${position}`,
    revision: 0,
    position,
    type: 'T',
    createdMs: Date.parse('2026-01-01T00:00:00.000Z'),
    dataJson: '{}',
    metadataJson: '{"schema_version":1,"tenant":"t"}',
  });

function submit(writer: GroupWriter, positions: number[]): Promise<void> {
  return new Promise((resolve, reject) => writer.submit({ records: positions.map(body), resolve, reject }));
}

describe('GroupWriter', () => {
  it('writes appends submitted together with one write and one flush', async () => {
    const { handle, calls } = fakeHandle();
    const batches: DurableBatch[] = [];
    const writer = new GroupWriter(handle, 100, { fsync: true, maxBatchBytes: 1 << 20 }, {
      onDurable: (batch) => batches.push(batch),
      onFailed: () => undefined,
    });

    await Promise.all([submit(writer, [1, 2]), submit(writer, [3]), submit(writer, [4])]);

    expect(calls.filter((call) => call.startsWith('write'))).toHaveLength(1);
    expect(calls.filter((call) => call === 'datasync')).toHaveLength(1);
    expect(batches).toHaveLength(1);
    expect(batches[0].positions).toEqual([1, 2, 3, 4]);
    expect(batches[0].offsets[0]).toBe(100);
    // Every record names the write it belongs to.
    const bounds = batches[0].offsets.map((offset) => {
      const probe = probeRecord(batches[0].bytes, offset - batches[0].start);
      return probe.kind === 'record' ? [probe.header.batchFirst, probe.header.batchLast] : probe.kind;
    });
    expect(bounds).toEqual([[1, 4], [1, 4], [1, 4], [1, 4]]);
  });

  it('settles an append only after its batch is flushed', async () => {
    const { handle, calls } = fakeHandle();
    const writer = new GroupWriter(handle, 0, { fsync: true, maxBatchBytes: 1 << 20 }, {
      onDurable: () => calls.push('durable'),
      onFailed: () => undefined,
    });
    await submit(writer, [1]);
    expect(calls).toEqual([expect.stringMatching(/^write /), 'datasync', 'durable']);
  });

  it('collects appends that arrive during a flush into the next batch', async () => {
    const { handle, calls } = fakeHandle();
    const writer = new GroupWriter(handle, 0, { fsync: true, maxBatchBytes: 1 << 20 }, {
      onDurable: () => undefined,
      onFailed: () => undefined,
    });
    const first = submit(writer, [1]);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((position) => submit(writer, [position]));
    await Promise.all([first, ...later]);
    expect(calls.filter((call) => call === 'datasync')).toHaveLength(2);
  });

  it('rejects the batch and everything after a failed write, and stops writing', async () => {
    const { handle, calls } = fakeHandle({ failWrites: true });
    const failures: Error[] = [];
    const writer = new GroupWriter(handle, 50, { fsync: true, maxBatchBytes: 1 << 20 }, {
      onDurable: () => undefined,
      onFailed: (error) => failures.push(error),
    });
    const outcomes = await Promise.allSettled([submit(writer, [1]), submit(writer, [2])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(writer.failed).toBeInstanceOf(EventStoreUnavailableError);
    expect(failures).toHaveLength(1);
    expect(calls).toContain('truncate 50');

    await expect(submit(writer, [3])).rejects.toBe(writer.failed);
    expect(calls.filter((call) => call.startsWith('write'))).toHaveLength(1);
  });
});
