import type { FileHandle } from 'node:fs/promises';
import { RecordKind, type JournalRecord, type KeySlot } from './key-journal-format';
import { KeyJournalWriter, KeyStoreUnavailableError, type PlacedRecord } from './key-journal-writer';

/** Records what the writer asks of the file; `failSyncs` makes every flush throw. */
function fakeHandle(options: { failSyncs?: boolean } = {}) {
  const calls: string[] = [];
  const handle = {
    write: async (buffer: Buffer, offset: number, length: number, position: number) => {
      calls.push(buffer.subarray(offset, offset + length).every((byte) => byte === 0) ? `zero ${length}@${position}` : `write ${length}@${position}`);
      return { bytesWritten: length, buffer };
    },
    datasync: async () => {
      calls.push('datasync');
      if (options.failSyncs) throw new Error('disk on fire');
    },
  };
  return { handle: handle as unknown as FileHandle, calls };
}

const key = (subject: string): JournalRecord => ({ kind: RecordKind.Key, tenant: 'acme', subject, masterKeyId: 1, wrapped: Buffer.alloc(61, 7) });
const tombstone = (subject: string): JournalRecord => ({ kind: RecordKind.Tombstone, tenant: 'acme', subject, masterKeyId: 0, wrapped: Buffer.alloc(0) });

function submit(writer: KeyJournalWriter, records: PlacedRecord[], zero: KeySlot[] = []): Promise<void> {
  return new Promise((resolve, reject) => writer.submit({ records, zero, resolve, reject }));
}

describe('KeyJournalWriter', () => {
  it('writes operations submitted together with one write and one flush, and settles them after it', async () => {
    const { handle, calls } = fakeHandle();
    const writer = new KeyJournalWriter(handle, 100, true);
    const settled: string[] = [];
    const creates = ['p-1', 'p-2', 'p-3'].map((subject) =>
      submit(writer, [{ record: key(subject), slot: { offset: -1, length: 65 } }]).then(() => settled.push(`${subject} after ${calls.length} calls`)),
    );
    await Promise.all(creates);
    expect(calls).toEqual([expect.stringMatching(/^write \d+@100$/), 'datasync']);
    expect(settled).toEqual(['p-1 after 2 calls', 'p-2 after 2 calls', 'p-3 after 2 calls']);
    expect(writer.syncs).toBe(1);
  });

  it('zeroes a destroyed key only after its tombstone is durable, then flushes again', async () => {
    const { handle, calls } = fakeHandle();
    const writer = new KeyJournalWriter(handle, 0, true);
    const slot: KeySlot = { offset: -1, length: 65 };
    const create = submit(writer, [{ record: key('p-1'), slot }]);
    const destroy = submit(writer, [{ record: tombstone('p-1') }], [slot]);
    await Promise.all([create, destroy]);
    expect(slot.offset).toBeGreaterThan(0);
    expect(calls).toEqual([expect.stringMatching(/^write \d+@0$/), 'datasync', `zero 65@${slot.offset}`, 'datasync']);
  });

  it('rejects everything queued once a flush fails, and everything after', async () => {
    const { handle } = fakeHandle({ failSyncs: true });
    const writer = new KeyJournalWriter(handle, 0, true);
    const results = await Promise.allSettled([submit(writer, [{ record: key('p-1') }]), submit(writer, [{ record: key('p-2') }])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    await expect(submit(writer, [{ record: key('p-3') }])).rejects.toThrow(KeyStoreUnavailableError);
  });
});
