/**
 * EsdbEventStore against a fake client, for what the emulator cannot show: system events in
 * $all (a real node writes $stats and projection links all the time), appends answered without
 * a position, and error mapping. The contract itself runs against the emulator in the
 * integration spec.
 */
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  type AllStreamRecordedEvent,
  type AppendResult as ClientAppendResult,
  type Position,
  type ReadPosition,
  type ReadRevision,
} from '@eventstore/db-client';
import { EventStoreUnavailableError } from '@cds/application';
import { aNewEvent, newEvents } from '@cds/contract-tests';
import type { EsdbClient } from './esdb-client';
import { EsdbEventStore } from './esdb-event-store';

class FakeClient {
  readonly log: AllStreamRecordedEvent[] = [];
  readonly reads: Array<{ direction: string; fromPosition: ReadPosition; maxCount: number }> = [];
  appendResult: ClientAppendResult | Error = { success: true, nextExpectedRevision: 0n, position: undefined };
  readStreamError: Error | undefined;
  disposed = false;

  add(streamId: string, type = 'Happened'): AllStreamRecordedEvent {
    const position = BigInt((this.log.length + 1) * 10);
    const revision = BigInt(this.log.filter((event) => event.streamId === streamId).length);
    const event = {
      streamId,
      id: randomUUID(),
      isJson: true,
      revision,
      type,
      created: new Date(),
      data: {},
      metadata: { schema_version: 1, tenant: 't' },
      position: { commit: position, prepare: position },
    } as AllStreamRecordedEvent;
    this.log.push(event);
    return event;
  }

  async appendToStream(): Promise<ClientAppendResult> {
    if (this.appendResult instanceof Error) throw this.appendResult;
    return this.appendResult;
  }

  readStream(streamId: string, options: { direction: string; fromRevision: ReadRevision; maxCount: number }) {
    const error = this.readStreamError;
    let events = this.log.filter((event) => event.streamId === streamId);
    const missing = events.length === 0;
    const from = options.fromRevision;
    if (options.direction === BACKWARDS) {
      events = events.reverse();
      if (typeof from === 'bigint') events = events.filter((event) => event.revision <= from);
    } else if (typeof from === 'bigint') {
      events = events.filter((event) => event.revision >= from);
    }
    return (async function* () {
      if (error) throw error;
      if (missing) throw new StreamNotFoundError(undefined, streamId);
      yield* events.slice(0, options.maxCount).map((event) => ({ event }));
    })();
  }

  /** The server's $all: forwards from a position inclusive, backwards from strictly before it. */
  readAll(options: { direction: string; fromPosition: ReadPosition; maxCount: number }) {
    this.reads.push(options);
    const at = (from: ReadPosition): bigint | undefined => (from === START || from === END ? undefined : (from as Position).commit);
    const from = at(options.fromPosition);
    const events =
      options.direction === BACKWARDS
        ? [...this.log].reverse().filter((event) => from === undefined || event.position.commit < from)
        : this.log.filter((event) => from === undefined || event.position.commit >= from);
    return (async function* () {
      yield* events.slice(0, options.maxCount).map((event) => ({ event }));
    })();
  }

  subscribeToAll(): never {
    throw new Error('not used here');
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

const storeOn = (client: FakeClient, pageSize?: number) =>
  new EsdbEventStore(client as unknown as EsdbClient, { readAllPageSize: pageSize });

describe('EsdbEventStore (fake client)', () => {
  it('leaves system events out of readAll, paging past them', async () => {
    const client = new FakeClient();
    const ours = [client.add('p-1')];
    for (let i = 0; i < 5; i++) client.add('$stats-node', '$statsCollected');
    ours.push(client.add('p-2'));
    client.add('p-2', '$>');
    client.add('$$p-2', '$metadata');
    ours.push(client.add('p-3'));
    const store = storeOn(client, 3);

    const all = await store.readAll({ maxCount: 100 });
    expect(all.map((event) => event.id)).toEqual(ours.map((event) => event.id));
    expect((await store.readAll({ maxCount: 2, filter: { streamPrefixes: ['p-'] } })).map((event) => event.id)).toEqual(
      ours.slice(0, 2).map((event) => event.id),
    );
    const after = all[0].position;
    expect((await store.readAll({ after, maxCount: 1 })).map((event) => event.id)).toEqual([ours[1].id]);
    // Reads continue from the last event seen: each page starts with the one read before.
    expect(client.reads.slice(-2).map((read) => (read.fromPosition as Position).commit)).toEqual([30n, 50n]);
  });

  it('finds the head behind a tail of system events, or none', async () => {
    const client = new FakeClient();
    const store = storeOn(client);
    expect(await store.headPosition()).toBeNull();
    for (let i = 0; i < 40; i++) client.add('$stats-node', '$statsCollected');
    expect(await store.headPosition()).toBeNull();
    const ours = client.add('p-1');
    for (let i = 0; i < 70; i++) client.add('$stats-node', '$statsCollected');
    expect(await store.headPosition()).toBe(Number(ours.position.commit));
    expect(client.reads.slice(-3).map((read) => read.direction)).toEqual(['backwards', 'backwards', 'backwards']);
  });

  it('asks the stream for the position when an append result carries none', async () => {
    const client = new FakeClient();
    client.add('p-1');
    const second = client.add('p-1');
    const store = storeOn(client);

    client.appendResult = { success: true, nextExpectedRevision: 1n, position: undefined };
    expect(await store.append('p-1', newEvents(2), 'no_stream')).toEqual({ nextRevision: 1, position: Number(second.position.commit) });
    client.appendResult = { success: true, nextExpectedRevision: 1n, position: { commit: 2n ** 64n - 1n, prepare: 0n } };
    expect((await store.append('p-1', newEvents(2), 'no_stream')).position).toBe(Number(second.position.commit));
    client.appendResult = { success: true, nextExpectedRevision: 1n, position: { commit: 77n, prepare: 77n } };
    expect((await store.append('p-1', newEvents(2), 'no_stream')).position).toBe(77);
  });

  it("reports a failed append result as WrongExpectedRevisionError with the stream's revision", async () => {
    const client = new FakeClient();
    const store = storeOn(client);
    client.appendResult = { success: false, nextExpectedRevision: -1n, position: undefined };
    await expect(store.append('p-1', newEvents(1), 0)).rejects.toMatchObject({ actual: 'no_stream', expected: 0 });
    client.appendResult = { success: false, nextExpectedRevision: 5n, position: undefined };
    await expect(store.append('p-1', newEvents(1), 2)).rejects.toMatchObject({ actual: 5 });
  });

  it('maps an unreachable server to EventStoreUnavailableError', async () => {
    const client = new FakeClient();
    const store = storeOn(client);
    client.appendResult = new UnavailableError();
    await expect(store.append('p-1', newEvents(1), 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    client.readStreamError = new UnavailableError();
    client.add('p-1');
    await expect(store.readStream('p-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('reads missing and deleted streams as empty', async () => {
    const client = new FakeClient();
    const store = storeOn(client);
    expect(await store.readStream('nothing')).toEqual([]);
    client.add('gone');
    client.readStreamError = StreamDeletedError.fromStreamName('gone');
    expect(await store.readStream('gone')).toEqual([]);
  });

  it('refuses bad arguments before calling the server', async () => {
    const store = storeOn(new FakeClient());
    await expect(store.append('', newEvents(1), 'any')).rejects.toThrow(TypeError);
    await expect(store.append('s', newEvents(1), -1)).rejects.toThrow(/expected revision/);
    await expect(store.append('s', [aNewEvent({ type: '' })], 'any')).rejects.toThrow(/type/);
    await expect(store.append('s', [{ ...aNewEvent(), data: undefined }], 'any')).rejects.toThrow(/JSON/);
    await expect(store.readAll({ after: 1.5, maxCount: 1 })).rejects.toThrow(/log position/);
    expect(() => store.subscribeToAll({ after: -1 })).toThrow(/log position/);
  });

  it('disposes the client once when closed', async () => {
    const client = new FakeClient();
    const store = storeOn(client);
    await Promise.all([store.close(), store.close()]);
    expect(client.disposed).toBe(true);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
