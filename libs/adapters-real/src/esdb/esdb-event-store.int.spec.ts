import { randomUUID } from 'node:crypto';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '@cds/application';
import { aNewEvent, collectEvents, describeEventStoreContract, newEvents, uniqueStreamPrefix } from '@cds/contract-tests';
import { InvalidEsdbConnectionStringError } from './esdb-connection-string';
import { EsdbEventStore } from './esdb-event-store';

const url = process.env.CDS_TEST_ESDB_URL;
if (url === undefined || url === '') {
  throw new Error('CDS_TEST_ESDB_URL is not set: run the integration tests through the test-server runner');
}
const esdbUrl: string = url;

describeEventStoreContract('EventStoreDB adapter', async () => {
  const store = await EsdbEventStore.connect(esdbUrl);
  return { store, cleanup: () => store.close() };
});

describe('EsdbEventStore specifics', () => {
  let store: EsdbEventStore;
  let prefix: string;

  beforeEach(async () => {
    store = await EsdbEventStore.connect(esdbUrl);
    prefix = uniqueStreamPrefix('esdb');
  });

  afterEach(async () => {
    await store.close();
  });

  it('refuses a malformed connection string before connecting, saying why', async () => {
    await expect(EsdbEventStore.connect('http://127.0.0.1:2113')).rejects.toThrow(InvalidEsdbConnectionStringError);
    await expect(EsdbEventStore.connect('http://127.0.0.1:2113')).rejects.toThrow(/scheme "http:\/\/" is not supported/);
    await expect(EsdbEventStore.connect('esdb://')).rejects.toThrow(/no host is given/);
    await expect(EsdbEventStore.connect('esdb://admin:secret@127.0.0.1:99999')).rejects.toThrow(/not a valid port/);
    await expect(EsdbEventStore.connect('esdb://admin:secret@127.0.0.1:99999')).rejects.not.toThrow(/secret/);
  });

  it('reports an unreachable server as EventStoreUnavailableError', async () => {
    // Port 1 is privileged and never serves gRPC here.
    const unreachable = await EsdbEventStore.connect('esdb://127.0.0.1:1?tls=false&defaultDeadline=2000');
    try {
      await expect(unreachable.readStream(`${prefix}s`)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(unreachable.append(`${prefix}s`, newEvents(1), 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await unreachable.close();
    }
  });

  it('maps a wrong expected version to WrongExpectedRevisionError with the actual revision', async () => {
    const stream = `${prefix}w`;
    const missing = await store.append(`${prefix}missing`, newEvents(1), 3).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
    expect(missing).toMatchObject({ streamId: `${prefix}missing`, expected: 3, actual: 'no_stream' });

    await store.append(stream, newEvents(4), 'no_stream');
    const stale = await store.append(stream, newEvents(1), 1).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
    expect(stale).toMatchObject({ streamId: stream, expected: 1, actual: 3 });

    const exists = await store.append(stream, newEvents(1), 'no_stream').catch((error: unknown) => error);
    expect(exists).toMatchObject({ expected: 'no_stream', actual: 3 });
  });

  it('checks the expected revision of an empty append without writing', async () => {
    const stream = `${prefix}e`;
    expect(await store.append(stream, [], 'no_stream')).toEqual({ nextRevision: -1, position: 0 });
    await expect(store.append(stream, [], 'stream_exists')).rejects.toMatchObject({ actual: 'no_stream' });
    const written = await store.append(stream, newEvents(2), 'no_stream');
    expect(await store.append(stream, [], 1)).toEqual(written);
    await expect(store.append(stream, [], 0)).rejects.toMatchObject({ actual: 1 });
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('reports the position of the original write for a recognised retry', async () => {
    const events = newEvents(3);
    const first = await store.append(`${prefix}r`, events, 'no_stream');
    expect(await store.append(`${prefix}r`, events, 'no_stream')).toEqual(first);
  });

  it('refuses event ids EventStoreDB would not return unchanged', async () => {
    await expect(store.append(`${prefix}i`, [aNewEvent({ id: 'not-a-uuid' })], 'any')).rejects.toThrow(TypeError);
    await expect(store.append(`${prefix}i`, [aNewEvent({ id: randomUUID().toUpperCase() })], 'any')).rejects.toThrow(
      /lower-case UUID/,
    );
  });

  it('delivers a subscription from a position after a restart of the subscription, without repeats', async () => {
    const before = (await store.headPosition()) ?? undefined;
    const events = newEvents(4);
    await store.append(`${prefix}a`, events.slice(0, 2), 'no_stream');
    await store.append(`${prefix}b`, events.slice(2), 'no_stream');

    const first = store.subscribeToAll({ after: before, filter: { streamPrefixes: [prefix] } });
    const [one, two] = await collectEvents(first, 2);
    await first.close();
    // What a consumer does after a restart: subscribe again after the last event it handled.
    const second = store.subscribeToAll({ after: two.position, filter: { streamPrefixes: [prefix] } });
    const rest = await collectEvents(second, 2);
    await second.close();
    expect([one, two, ...rest].map((event) => event.id)).toEqual(events.map((event) => event.id));
  });

  it('leaves system streams and events out of reads, the head and subscriptions', async () => {
    const ids = (events: ReadonlyArray<{ id: string }>) => events.map((event) => event.id);
    const own = (event: { streamId: string }) => event.streamId.includes(prefix);
    const before = (await store.headPosition()) ?? undefined;
    const unfiltered = store.subscribeToAll({ after: before });
    const byPrefix = store.subscribeToAll({ after: before, filter: { streamPrefixes: [prefix] } });
    try {
      const ours = aNewEvent();
      const written = await store.append(`${prefix}x`, [ours], 'no_stream');
      await store.append(`$${prefix}sys`, [aNewEvent()], 'no_stream');
      await store.append(`${prefix}y`, [aNewEvent({ type: '$system' })], 'no_stream');
      const marker = aNewEvent();
      await store.append(`${prefix}z`, [marker], 'no_stream');

      expect(ids((await store.readAll({ after: before, maxCount: 10_000 })).filter(own))).toEqual([ours.id, marker.id]);
      expect(ids(await store.readAll({ after: written.position, maxCount: 10_000, filter: { streamPrefixes: [prefix] } }))).toEqual([
        marker.id,
      ]);
      expect(ids(await collectEvents(unfiltered, 2, { where: own }))).toEqual([ours.id, marker.id]);
      expect(ids(await collectEvents(byPrefix, 2))).toEqual([ours.id, marker.id]);

      const last = await store.readStream(`${prefix}z`);
      const later = await store.readAll({ after: last[0].position, maxCount: 1 });
      if (later.length === 0) expect(await store.headPosition()).toBe(last[0].position);
    } finally {
      await Promise.all([unfiltered.close(), byPrefix.close()]);
    }
  });

  it('ends open subscriptions and refuses further calls once closed', async () => {
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
    const waiting = subscription[Symbol.asyncIterator]().next();
    await store.close();
    expect((await waiting).done).toBe(true);
    await expect(store.readStream(`${prefix}x`)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(() => store.subscribeToAll()).toThrow(EventStoreUnavailableError);
  });
});
