import { spawn, spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '@cds/application';
import { aNewEvent, collectEvents, describeEventStoreContract, newEvents } from '@cds/contract-tests';
import { crc32 } from 'node:zlib';
import { FileEventStore, INDEX_FILE_NAME, LOCK_FILE_NAME, LOG_FILE_NAME, type FileEventStoreOptions } from './file-event-store';
import { EventLogCorruptionError, EventLogInUseError } from './log-errors';
import { encodeBatch, FILE_HEADER_BYTES, FRAME_HEADER_BYTES, pendingRecord, probeRecord, RECORD_HEADER_BYTES } from './record-format';

const temporaryDirectory = (): Promise<string> => fsp.mkdtemp(path.join(os.tmpdir(), 'cds-event-log-'));

describeEventStoreContract('FileEventStore', async () => {
  const directory = await temporaryDirectory();
  const store = await FileEventStore.open({ directory });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await fsp.rm(directory, { recursive: true, force: true });
    },
  };
});

describe('FileEventStore', () => {
  let directory: string;
  let warnings: string[];
  const opened: FileEventStore[] = [];
  const logFile = (): string => path.join(directory, LOG_FILE_NAME);
  const lockFile = (): string => path.join(directory, LOCK_FILE_NAME);

  const open = async (options: Partial<FileEventStoreOptions> = {}): Promise<FileEventStore> => {
    const store = await FileEventStore.open({ directory, onWarning: (message) => warnings.push(message), ...options });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    directory = await temporaryDirectory();
    warnings = [];
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await fsp.rm(directory, { recursive: true, force: true });
  });

  /** Start offsets of the records in the log file, read the way the format is documented. */
  async function frameOffsets(): Promise<number[]> {
    const bytes = await fsp.readFile(logFile());
    const offsets: number[] = [];
    for (let offset = FILE_HEADER_BYTES; offset + FRAME_HEADER_BYTES <= bytes.length; ) {
      offsets.push(offset);
      offset += FRAME_HEADER_BYTES + bytes.readUInt32LE(offset);
    }
    return offsets;
  }

  async function flipByte(offset: number): Promise<void> {
    const handle = await fsp.open(logFile(), 'r+');
    try {
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, offset);
      byte[0] ^= 0xff;
      await handle.write(byte, 0, 1, offset);
    } finally {
      await handle.close();
    }
  }

  /** Appends one event per call, so each is its own write batch. */
  async function appendOneByOne(store: FileEventStore, streamId: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) await store.append(streamId, [aNewEvent({ data: { i } })], 'any');
  }

  /** Records as the writer would produce them for a batch of new events of one stream. */
  function framesFor(streamId: string, firstPosition: number, firstRevision: number, count: number): Buffer[] {
    const records = Array.from({ length: count }, (_, i) =>
      pendingRecord({
        id: `torn-${i}`,
        streamId,
        revision: firstRevision + i,
        position: firstPosition + i,
        type: 'Torn',
        createdMs: Date.now(),
        dataJson: '{}',
        metadataJson: '{"schema_version":1,"tenant":"t"}',
      }),
    );
    const { buffer, offsets } = encodeBatch(records);
    return offsets.map((offset, i) => buffer.subarray(offset, offsets[i + 1] ?? buffer.length));
  }

  it('starts empty', async () => {
    const store = await open();
    expect(await store.headPosition()).toBeNull();
    expect(await store.readAll({ maxCount: 10 })).toEqual([]);
    expect(store.recovery.truncatedBytes).toBe(0);
  });

  describe('durability', () => {
    it('keeps events across close and reopen, and continues positions and revisions', async () => {
      const first = await open();
      const events = newEvents(3);
      await first.append('s-1', events.slice(0, 2), 'no_stream');
      await first.append('s-2', events.slice(2), 'no_stream');
      await first.close();

      const second = await open();
      expect(await second.headPosition()).toBe(3);
      const stored = await second.readStream('s-1');
      expect(stored.map((event) => [event.id, event.revision, event.position])).toEqual([
        [events[0].id, 0, 1],
        [events[1].id, 1, 2],
      ]);
      expect(await second.append('s-1', newEvents(1), 1)).toEqual({ nextRevision: 2, position: 4, written: true });
      expect((await second.readAll({ maxCount: 10 })).map((event) => event.position)).toEqual([1, 2, 3, 4]);
      expect(warnings).toEqual([]);
    });

    it('shows reads only events that are durable, while revision checks already count pending ones', async () => {
      const store = await open();
      const pending = store.append('s', newEvents(1), 'no_stream');
      const conflicting = store.append('s', newEvents(1), 'no_stream');
      expect(await store.readStream('s')).toEqual([]);
      expect(await store.headPosition()).toBeNull();
      await expect(conflicting).rejects.toMatchObject({ actual: 0 });
      await pending;
      expect(await store.readStream('s')).toHaveLength(1);
      expect(await store.headPosition()).toBe(1);
    });

    it('flushes accepted appends on close and refuses appends afterwards', async () => {
      const store = await open();
      const pending = Array.from({ length: 20 }, (_, i) => store.append(`s-${i}`, newEvents(1), 'no_stream'));
      await store.close();
      await expect(Promise.all(pending)).resolves.toHaveLength(20);
      await expect(store.append('s-x', newEvents(1), 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll({ maxCount: 1 })).rejects.toBeInstanceOf(EventStoreUnavailableError);

      const reopened = await open();
      expect(await reopened.headPosition()).toBe(20);
    });

    it('group-commits 500 concurrent appends, all readable after reopen', async () => {
      const store = await open();
      const results = await Promise.all(
        Array.from({ length: 500 }, (_, i) => store.append(`g-${i}`, [aNewEvent({ data: { i } })], 'no_stream')),
      );
      expect(new Set(results.map((result) => result.position)).size).toBe(500);
      await store.close();

      // Every record names the write batch it belongs to: far fewer batches than appends.
      const batches = new Set<string>();
      const bytes = await fsp.readFile(logFile());
      for (const offset of await frameOffsets()) {
        const probe = probeRecord(bytes, offset);
        if (probe.kind !== 'record') throw new Error(`no record at ${offset}`);
        batches.add(`${probe.header.batchFirst}..${probe.header.batchLast}`);
      }
      expect(batches.size).toBeLessThan(50);

      const reopened = await open();
      const all = await reopened.readAll({ maxCount: 1000 });
      expect(all.map((event) => event.position)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      for (let i = 0; i < 500; i += 97) {
        expect((await reopened.readStream(`g-${i}`))[0].data).toEqual({ i });
      }
    });

    it('refuses data that cannot be stored without using up a position', async () => {
      const store = await open();
      await expect(store.append('s', [aNewEvent({ data: { big: 1n } })], 'any')).rejects.toThrow(TypeError);
      await expect(store.append('s', [{ ...aNewEvent(), data: undefined }, aNewEvent()], 'any')).rejects.toThrow(TypeError);
      expect(await store.append('s', newEvents(1), 'no_stream')).toEqual({ nextRevision: 0, position: 1, written: true });
    });
  });

  describe('recovery', () => {
    it('cuts a torn tail of partial frame bytes and keeps working', async () => {
      const store = await open();
      await appendOneByOne(store, 's', 3);
      await store.close();
      const partial = framesFor('s', 4, 3, 1)[0].subarray(0, 20);
      await fsp.appendFile(logFile(), partial);

      const reopened = await open();
      expect(reopened.recovery.truncatedBytes).toBe(20);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/cut 20 bytes after position 3/);
      expect((await reopened.readStream('s')).map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(await reopened.append('s', newEvents(1), 2)).toEqual({ nextRevision: 3, position: 4, written: true });
      await reopened.close();

      warnings = [];
      const again = await open();
      expect(warnings).toEqual([]);
      expect(await again.headPosition()).toBe(4);
    });

    it('cuts random garbage after the last record', async () => {
      const store = await open();
      await appendOneByOne(store, 's', 2);
      await store.close();
      const sizeBefore = (await fsp.stat(logFile())).size;
      await fsp.appendFile(logFile(), Buffer.from('\x13\x00\x00\x00garbage that is not a frame at all'));

      const reopened = await open();
      expect(reopened.recovery.truncatedBytes).toBeGreaterThan(0);
      expect((await fsp.stat(logFile())).size).toBe(sizeBefore);
      expect(await reopened.headPosition()).toBe(2);
    });

    it('drops a multi-event write that did not reach the disk completely, keeping appends atomic', async () => {
      const store = await open();
      await appendOneByOne(store, 's', 2);
      await store.close();
      const [firstOfTwo] = framesFor('s', 3, 2, 2);
      await fsp.appendFile(logFile(), firstOfTwo);

      const reopened = await open();
      expect(reopened.recovery.truncatedBytes).toBe(firstOfTwo.length);
      expect(await reopened.readStream('s')).toHaveLength(2);
    });

    it('treats a torn last write with intact frames after the damage as torn, not corrupt', async () => {
      const store = await open();
      await appendOneByOne(store, 's', 2);
      await store.close();
      // A crash can persist the pages of the final write in any order.
      const frames = framesFor('s', 3, 2, 3);
      frames[1] = Buffer.alloc(frames[1].length);
      await fsp.appendFile(logFile(), Buffer.concat(frames));

      const reopened = await open();
      expect(await reopened.headPosition()).toBe(2);
      expect(reopened.recovery.truncatedBytes).toBe(frames.reduce((sum, frame) => sum + frame.length, 0));
    });

    it('refuses to open a log damaged before intact, acknowledged records', async () => {
      const store = await open();
      await appendOneByOne(store, 's', 5);
      await store.close();
      const offsets = await frameOffsets();
      await flipByte(offsets[1] + RECORD_HEADER_BYTES + 5);
      const sizeBefore = (await fsp.stat(logFile())).size;

      const failure = FileEventStore.open({ directory, onWarning: (message) => warnings.push(message) });
      await expect(failure).rejects.toBeInstanceOf(EventLogCorruptionError);
      await expect(failure).rejects.toThrow(new RegExp(`corrupt at byte ${offsets[1]}`));
      // Nothing was cut, and the directory is not left locked.
      expect((await fsp.stat(logFile())).size).toBe(sizeBefore);
      await expect(fsp.stat(lockFile())).rejects.toThrow(/ENOENT/);
    });

    it('refuses to open a log whose record length field was damaged mid-file', async () => {
      const store = await open();
      await appendOneByOne(store, 's', 4);
      await store.close();
      const offsets = await frameOffsets();
      await flipByte(offsets[1] + 2);

      await expect(FileEventStore.open({ directory })).rejects.toBeInstanceOf(EventLogCorruptionError);
    });

    it('reports damage found while reading a record', async () => {
      const store = await open({ cacheBytes: 0 });
      await appendOneByOne(store, 's', 3);
      const offsets = await frameOffsets();
      await flipByte(offsets[1] + RECORD_HEADER_BYTES + 3);
      await expect(store.readStream('s')).rejects.toBeInstanceOf(EventLogCorruptionError);
    });
  });

  describe('index snapshot', () => {
    const indexFile = (): string => path.join(directory, INDEX_FILE_NAME);

    it('is written at close and lets a reopened log continue, recognising retries of events before it', async () => {
      const first = await open();
      const retried = newEvents(2);
      await first.append('s', retried, 'any');
      await appendOneByOne(first, 't', 3);
      await first.close();
      expect((await fsp.stat(indexFile())).size).toBeGreaterThan(0);

      const second = await open();
      expect(await second.append('s', retried, 'any')).toEqual({ nextRevision: 1, position: 2, written: false });
      expect(await second.append('t', newEvents(1), 2)).toEqual({ nextRevision: 3, position: 6, written: true });
      expect((await second.readAll({ maxCount: 10 })).map((event) => [event.streamId, event.revision])).toEqual([
        ['s', 0], ['s', 1], ['t', 0], ['t', 1], ['t', 2], ['t', 3],
      ]);
      expect(warnings).toEqual([]);
    });

    it('is only a starting point: what was appended after it is scanned, a torn tail after it is cut', async () => {
      const first = await open();
      await appendOneByOne(first, 's', 2);
      await first.close();
      const older = await fsp.readFile(indexFile());
      const second = await open();
      await appendOneByOne(second, 's', 3);
      await second.close();
      await fsp.writeFile(indexFile(), older);
      await fsp.appendFile(logFile(), framesFor('s', 6, 5, 2)[0]);

      const third = await open();
      expect(third.recovery.truncatedBytes).toBeGreaterThan(0);
      expect((await third.readStream('s')).map((event) => event.position)).toEqual([1, 2, 3, 4, 5]);
      expect(await third.append('s', newEvents(1), 4)).toEqual({ nextRevision: 5, position: 6, written: true });
    });

    it('is ignored when unreadable, and rebuilt by a full scan', async () => {
      const first = await open();
      await appendOneByOne(first, 's', 3);
      await first.close();
      await fsp.writeFile(indexFile(), 'not an index');

      const second = await open();
      expect(await second.headPosition()).toBe(3);
      await second.close();
      expect((await fsp.readFile(indexFile())).subarray(0, 6).toString('latin1')).toBe('CDSIDX');
    });

    it('refuses a log damaged in the middle whether or not a snapshot covers the damage', async () => {
      const store = await open();
      await appendOneByOne(store, 's', 4);
      await store.close();
      const offsets = await frameOffsets();
      await flipByte(offsets[2] + RECORD_HEADER_BYTES + 1);
      await expect(FileEventStore.open({ directory })).rejects.toThrow(new RegExp(`corrupt at byte ${offsets[2]}`));
      await fsp.rm(indexFile());
      await expect(FileEventStore.open({ directory })).rejects.toThrow(new RegExp(`corrupt at byte ${offsets[2]}`));
    });
  });

  describe('a log written in format 1', () => {
    /** Format 1: [u32 length][u32 crc32][JSON of the event with its write's bounds], no file header. */
    const legacyFrame = (event: Record<string, unknown>): Buffer => {
      const payload = Buffer.from(JSON.stringify(event), 'utf8');
      const frame = Buffer.alloc(8 + payload.length);
      frame.writeUInt32LE(payload.length, 0);
      frame.writeUInt32LE(crc32(payload), 4);
      payload.copy(frame, 8);
      return frame;
    };
    const legacyEvent = (position: number, revision: number, batch: [number, number], data: unknown) => ({
      id: `legacy-${position}`,
      streamId: `profile-acme.p${revision === position - 1 ? 1 : 2}`,
      revision,
      position,
      type: 'Legacy',
      created: `2025-06-0${position}T10:00:00.123Z`,
      data,
      metadata: { schema_version: 1, tenant: 'acme', correlation_id: `c-${position}` },
      batch,
    });

    it('is migrated on open, keeping every event, write and time, and cutting its torn tail', async () => {
      const events = [
        legacyEvent(1, 0, [1, 1], { n: 1, text: 'Zürich 👟' }),
        legacyEvent(2, 1, [2, 3], { nested: { list: [1, 2.5, null, true] } }),
        legacyEvent(3, 2, [2, 3], {}),
      ];
      const torn = legacyFrame(legacyEvent(4, 3, [4, 4], { lost: true })).subarray(0, 30);
      await fsp.writeFile(logFile(), Buffer.concat([...events.map(legacyFrame), torn]));

      const store = await open();
      expect(store.recovery.truncatedBytes).toBe(30);
      expect(warnings).toHaveLength(1);
      const read = await store.readAll({ maxCount: 10 });
      expect(read).toEqual(events.map(({ batch: _batch, ...event }) => event));
      // Spread copies of read events carry every field, as plain events would.
      expect({ ...read[1], data: null }).toEqual({ ...events[1], batch: undefined, data: null });
      expect((await fsp.readFile(logFile())).subarray(0, 6).toString('latin1')).toBe('CDSLOG');
      // The write of positions 2 and 3 is still one write.
      const bounds = (await frameOffsets()).map(async (offset) => {
        const probe = probeRecord(await fsp.readFile(logFile()), offset);
        return probe.kind === 'record' ? [probe.header.batchFirst, probe.header.batchLast] : probe.kind;
      });
      expect(await Promise.all(bounds)).toEqual([[1, 1], [2, 3], [2, 3]]);
      expect(await store.append('profile-acme.p1', newEvents(1), 2)).toEqual({ nextRevision: 3, position: 4, written: true });
    });

    it('is refused, and left as it is, when acknowledged records are damaged', async () => {
      const frames = [1, 2, 3].map((p) => legacyFrame(legacyEvent(p, p - 1, [p, p], { p })));
      frames[1][20] ^= 0xff;
      const bytes = Buffer.concat(frames);
      await fsp.writeFile(logFile(), bytes);
      await expect(FileEventStore.open({ directory })).rejects.toBeInstanceOf(EventLogCorruptionError);
      expect(await fsp.readFile(logFile())).toEqual(bytes);
    });
  });

  describe('directory lock', () => {
    it('refuses a second open of the same directory while the first is open', async () => {
      await open();
      const second = FileEventStore.open({ directory });
      await expect(second).rejects.toBeInstanceOf(EventLogInUseError);
      await expect(second).rejects.toThrow(`is in use by process ${process.pid}`);
    });

    it('refuses a directory locked by another live process', async () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
      try {
        await fsp.writeFile(lockFile(), `${child.pid}\n`);
        await expect(FileEventStore.open({ directory })).rejects.toThrow(`is in use by process ${child.pid}`);
        expect(await fsp.readFile(lockFile(), 'utf8')).toBe(`${child.pid}\n`);
      } finally {
        child.kill();
      }
    });

    it('takes over a stale lock left by a process that is gone', async () => {
      const { pid } = spawnSync(process.execPath, ['-e', '']);
      await fsp.writeFile(lockFile(), `${pid}\n`);
      const store = await open();
      expect(await fsp.readFile(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
      await store.append('s', newEvents(1), 'no_stream');
    });

    it('takes over a lock with this process id that no store here holds', async () => {
      // An earlier process with the same pid (pid 1 in a container) left it behind.
      await fsp.writeFile(lockFile(), `${process.pid}\n`);
      await open();
    });

    it('releases the lock on close', async () => {
      const store = await open();
      await store.close();
      await expect(fsp.stat(lockFile())).rejects.toThrow(/ENOENT/);
      await open();
    });
  });

  describe('idempotent retries', () => {
    it("recognises a recent retry with 'any' and writes nothing", async () => {
      const store = await open();
      const events = newEvents(2);
      const first = await store.append('s', events, 'any');
      await store.append('s', newEvents(1), 'any');
      expect(await store.append('s', events, 'any')).toEqual({ ...first, written: false });
      expect(await store.headPosition()).toBe(3);
    });

    it('rejects a retry whose events only partly match', async () => {
      const store = await open();
      const events = newEvents(2);
      await store.append('s', events, 'no_stream');
      const error = await store.append('s', [events[0], aNewEvent()], 'no_stream').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.headPosition()).toBe(2);
    });

    it('recognises a retry of an append that is not yet flushed, once it is durable', async () => {
      const store = await open();
      const events = newEvents(1);
      const [first, retry] = await Promise.all([
        store.append('s', events, 'no_stream'),
        store.append('s', events, 'no_stream'),
      ]);
      expect(retry).toEqual({ ...first, written: false });
      expect(await store.readStream('s')).toHaveLength(1);
    });
  });

  describe('subscriptions', () => {
    it('delivers appends made after it started, live and in order', async () => {
      const store = await open();
      const subscription = store.subscribeToAll();
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.append(`live-${i % 5}`, newEvents(2), 'any')),
      );
      const seen = await collectEvents(subscription, 100);
      expect(seen.map((event) => event.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(Math.max(...appended.map((result) => result.position))).toBe(100);
      await subscription.close();
    });

    it('misses nothing appended while it is catching up', async () => {
      const store = await open({ fsync: false });
      await Promise.all(Array.from({ length: 1000 }, (_, i) => store.append(`c-${i % 7}`, newEvents(1), 'any')));
      const subscription = store.subscribeToAll();
      const more = (async () => {
        for (let i = 0; i < 50; i++) {
          await Promise.all(Array.from({ length: 10 }, (_, j) => store.append(`m-${j}`, newEvents(1), 'any')));
        }
      })();
      const seen = await collectEvents(subscription, 1500, { timeoutMs: 20_000 });
      await more;
      expect(seen.map((event) => event.position)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
      await subscription.close();
    });

    it('ends its subscriptions when the store closes', async () => {
      const store = await open();
      const subscription = store.subscribeToAll();
      const waiting = subscription[Symbol.asyncIterator]().next();
      await store.close();
      await expect(waiting).resolves.toMatchObject({ done: true });
    });
  });
});
