import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { collect, testEvent, types, uniqueStream, useEmulator } from './test/emulator-fixture';

describe('esdb emulator: append and read a stream', () => {
  const fixture = useEmulator();

  it('appends and reads forwards and backwards with revisions, ids, data and metadata intact', async () => {
    const { client } = fixture();
    const stream = uniqueStream('customer');
    const before = Date.now();
    const first = jsonEvent({
      type: 'CustomerRegistered',
      data: { name: 'Ada', nested: { tags: ['a', 'b'], n: 1.5, ok: true, nothing: null } },
      metadata: { correlationId: 'c-1', causationId: 'x' },
    });
    const result = await client.appendToStream(stream, [first, testEvent('EmailChanged', { email: 'a@b.c' })], {
      expectedRevision: NO_STREAM,
    });
    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(1n);
    expect(result.position!.commit).toBeGreaterThan(0n);

    const forwards = await collect(client.readStream(stream, { direction: FORWARDS, fromRevision: START }));
    expect(types(forwards)).toEqual(['CustomerRegistered', 'EmailChanged']);
    const recorded = forwards[0].event!;
    expect(recorded.id).toBe(first.id);
    expect(recorded.streamId).toBe(stream);
    expect(recorded.revision).toBe(0n);
    expect(recorded.isJson).toBe(true);
    expect(recorded.data).toEqual(first.data);
    expect(recorded.metadata).toEqual({ correlationId: 'c-1', causationId: 'x' });
    expect(recorded.created.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(recorded.created.getTime()).toBeLessThanOrEqual(Date.now());
    expect(forwards[1].event!.revision).toBe(1n);
    expect(forwards[1].event!.position!.commit).toBeGreaterThan(recorded.position!.commit);

    const backwards = await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: END }));
    expect(types(backwards)).toEqual(['EmailChanged', 'CustomerRegistered']);
  });

  it('honours fromRevision and maxCount in both directions', async () => {
    const { client } = fixture();
    const stream = uniqueStream();
    await client.appendToStream(stream, ['e0', 'e1', 'e2', 'e3', 'e4'].map((type) => testEvent(type)));

    const from2 = await collect(client.readStream(stream, { fromRevision: 2n, maxCount: 2 }));
    expect(types(from2)).toEqual(['e2', 'e3']);
    const back3 = await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: 3n }));
    expect(types(back3)).toEqual(['e3', 'e2', 'e1', 'e0']);
    const backLast2 = await collect(
      client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 2 }),
    );
    expect(types(backLast2)).toEqual(['e4', 'e3']);
    expect(await collect(client.readStream(stream, { fromRevision: END }))).toEqual([]);
    expect(await collect(client.readStream(stream, { fromRevision: 99n }))).toEqual([]);
  });

  it('throws StreamNotFoundError when reading a stream that does not exist', async () => {
    const { client } = fixture();
    await expect(collect(client.readStream(uniqueStream('missing')))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  describe('expected revision', () => {
    async function wrongVersion(promise: Promise<unknown>): Promise<WrongExpectedVersionError> {
      const error = await promise.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      return error as WrongExpectedVersionError;
    }

    it('NO_STREAM fails on an existing stream with the actual revision', async () => {
      const { client } = fixture();
      const stream = uniqueStream();
      await client.appendToStream(stream, [testEvent('a'), testEvent('b')], { expectedRevision: NO_STREAM });
      const error = await wrongVersion(client.appendToStream(stream, testEvent('c'), { expectedRevision: NO_STREAM }));
      expect(error.streamName).toBe(stream);
      expect(error.expectedVersion).toBe(NO_STREAM);
      expect(error.actualVersion).toBe(1n);
    });

    it('STREAM_EXISTS fails on a missing stream and succeeds on an existing one', async () => {
      const { client } = fixture();
      const stream = uniqueStream();
      const error = await wrongVersion(
        client.appendToStream(stream, testEvent('a'), { expectedRevision: STREAM_EXISTS }),
      );
      expect(error.expectedVersion).toBe(STREAM_EXISTS);
      expect(error.actualVersion).toBe(NO_STREAM);

      await client.appendToStream(stream, testEvent('a'));
      const ok = await client.appendToStream(stream, testEvent('b'), { expectedRevision: STREAM_EXISTS });
      expect(ok.nextExpectedRevision).toBe(1n);
    });

    it('an exact revision must match the last revision of the stream', async () => {
      const { client } = fixture();
      const stream = uniqueStream();
      const missing = await wrongVersion(client.appendToStream(stream, testEvent('a'), { expectedRevision: 0n }));
      expect(missing.expectedVersion).toBe(0n);
      expect(missing.actualVersion).toBe(NO_STREAM);

      await client.appendToStream(stream, [testEvent('a'), testEvent('b'), testEvent('c')]);
      const behind = await wrongVersion(client.appendToStream(stream, testEvent('d'), { expectedRevision: 1n }));
      expect(behind.expectedVersion).toBe(1n);
      expect(behind.actualVersion).toBe(2n);
      const ahead = await wrongVersion(client.appendToStream(stream, testEvent('d'), { expectedRevision: 7n }));
      expect(ahead.expectedVersion).toBe(7n);
      expect(ahead.actualVersion).toBe(2n);

      const ok = await client.appendToStream(stream, testEvent('d'), { expectedRevision: 2n });
      expect(ok.nextExpectedRevision).toBe(3n);
    });

    it('ANY never conflicts', async () => {
      const { client } = fixture();
      const stream = uniqueStream();
      await client.appendToStream(stream, testEvent('a'), { expectedRevision: ANY });
      const ok = await client.appendToStream(stream, testEvent('b'), { expectedRevision: ANY });
      expect(ok.nextExpectedRevision).toBe(1n);
    });

    it('reports failure without throwing when throwOnAppendFailure is off', async () => {
      const { emulator } = fixture();
      const { EventStoreDBClient } = await import('@eventstore/db-client');
      const lenient = EventStoreDBClient.connectionString(`${emulator.url}&throwOnAppendFailure=false`);
      try {
        const stream = uniqueStream();
        await lenient.appendToStream(stream, testEvent('a'));
        const result = await lenient.appendToStream(stream, testEvent('b'), { expectedRevision: NO_STREAM });
        expect(result.success).toBe(false);
        expect(result.nextExpectedRevision).toBe(0n);
      } finally {
        await lenient.dispose();
      }
    });
  });

  describe('idempotent retries', () => {
    it('the same events at the same expected revision succeed once and are not duplicated', async () => {
      const { client } = fixture();
      const stream = uniqueStream();
      const batch = [testEvent('a'), testEvent('b')];
      const first = await client.appendToStream(stream, batch, { expectedRevision: NO_STREAM });
      const retry = await client.appendToStream(stream, batch, { expectedRevision: NO_STREAM });
      expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
      expect(retry.position).toEqual(first.position);

      const next = [testEvent('c')];
      await client.appendToStream(stream, next, { expectedRevision: 1n });
      await client.appendToStream(stream, next, { expectedRevision: 1n });
      expect(types(await collect(client.readStream(stream)))).toEqual(['a', 'b', 'c']);
    });

    it('ANY retries of the same ids are not duplicated; a partial overlap is a conflict', async () => {
      const { client } = fixture();
      const stream = uniqueStream();
      const batch = [testEvent('a'), testEvent('b')];
      await client.appendToStream(stream, batch);
      const retry = await client.appendToStream(stream, batch);
      expect(retry.nextExpectedRevision).toBe(1n);
      await expect(client.appendToStream(stream, [batch[0], testEvent('x')])).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
      expect(types(await collect(client.readStream(stream)))).toEqual(['a', 'b']);
    });

    it('different ids at a stale revision are a conflict', async () => {
      const { client } = fixture();
      const stream = uniqueStream();
      await client.appendToStream(stream, [testEvent('a')], { expectedRevision: NO_STREAM });
      await expect(
        client.appendToStream(stream, [testEvent('a')], { expectedRevision: NO_STREAM }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    });
  });

  it('rejects an append larger than the maximum append size', async () => {
    const { client } = fixture();
    const big = testEvent('Big', { blob: 'x'.repeat(1024 * 1024) });
    await expect(client.appendToStream(uniqueStream(), big)).rejects.toBeInstanceOf(MaxAppendSizeExceededError);
  });

  it('round-trips binary events untouched', async () => {
    const { client } = fixture();
    const { binaryEvent } = await import('@eventstore/db-client');
    const stream = uniqueStream();
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    await client.appendToStream(stream, binaryEvent({ type: 'Blob', data: bytes }));
    const [read] = await collect(client.readStream(stream));
    expect(read.event!.isJson).toBe(false);
    expect(Buffer.from(read.event!.data as Uint8Array)).toEqual(Buffer.from(bytes));
  });
});
