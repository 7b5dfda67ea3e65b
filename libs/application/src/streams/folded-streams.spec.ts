import { RecordedEvent } from '../ports/event-store.port';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { FoldedStreams } from './folded-streams';

/** A stream folded into the list of its event types, on a store that counts the events its stream reads return. */
function given() {
  const store = new InMemoryEventStore();
  let read = 0;
  const readStream = store.readStream.bind(store);
  store.readStream = async (...args) => {
    const events = await readStream(...args);
    read += events.length;
    return events;
  };
  const streams = new FoldedStreams<string[]>(store, { initialState: () => [], evolve: (state, event) => [...state, event.type] }, { maxWeight: 100 });
  const append = async (streamId: string, type: string) => {
    await store.append(streamId, [{ id: `${streamId}-${type}`, type, data: {}, metadata: { tenant: 't', schema_version: 1 } }], 'any');
    const [last] = await readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last as RecordedEvent;
  };
  return { streams, append, eventsRead: () => read };
}

describe('folded streams following the log', () => {
  it('folds the events the log showed, in order, so a load reads nothing more', async () => {
    const { streams, append, eventsRead } = given();
    streams.followed(await append('s-1', 'Created'));
    streams.followed(await append('s-1', 'Patched'));
    const loaded = await streams.load('s-1');
    expect(loaded.state).toEqual(['Created', 'Patched']);
    expect(loaded.revision).toBe(1);
    expect(eventsRead()).toBe(0);
  });

  it('leaves a stream it missed an event of to a load, which reads the log', async () => {
    const { streams, append, eventsRead } = given();
    await append('s-2', 'Created');
    streams.followed(await append('s-2', 'Patched')); // the first event was never shown
    expect((await streams.load('s-2')).state).toEqual(['Created', 'Patched']);
    expect(eventsRead()).toBe(2);
  });

  it('folds an event it holds already only once', async () => {
    const { streams, append } = given();
    const created = await append('s-3', 'Created');
    streams.followed(created);
    streams.followed(created);
    expect((await streams.load('s-3')).state).toEqual(['Created']);
  });
});
