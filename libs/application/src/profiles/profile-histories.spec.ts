import { RecordedEvent } from '../ports/event-store.port';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { ProfileHistories, ProfileHistoriesOptions } from './profile-histories';

/** Histories over a store that counts the events its stream reads return. */
function given(options: ProfileHistoriesOptions = { maxEvents: 100 }) {
  const store = new InMemoryEventStore();
  let read = 0;
  const readStream = store.readStream.bind(store);
  const countingRead: typeof readStream = async (...args) => {
    const events = await readStream(...args);
    read += events.length;
    return events;
  };
  const histories = new ProfileHistories(options);
  let n = 0;
  const append = async (streamId: string, type: string): Promise<RecordedEvent> => {
    await store.append(streamId, [{ id: `e-${n++}`, type, data: { n }, metadata: { tenant: 't', schema_version: 1 } }], 'any');
    const [last] = await readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last;
  };
  const appendFollowed = async (streamId: string, ...types: string[]) => {
    for (const type of types) histories.followed(await append(streamId, type));
  };
  const history = (streamId: string, from = 0, upTo: number | null = null) => histories.read(countingRead, streamId, from, upTo);
  const types = async (streamId: string, from = 0, upTo: number | null = null) => (await history(streamId, from, upTo)).map((e) => `${e.revision}:${e.event.type}`);
  return { histories, append, appendFollowed, history, types, eventsRead: () => read, resetReads: () => (read = 0) };
}

describe('profile histories kept for refolds', () => {
  it('keeps a survivor followed from its first event: reading its whole history reads nothing from the log', async () => {
    const { appendFollowed, types, eventsRead } = given();
    await appendFollowed('p-1', 'ProfileCreated', 'ProfilesMerged', 'AttributePatched', 'AttributePatched');
    expect(await types('p-1')).toEqual(['0:ProfileCreated', '1:ProfilesMerged', '2:AttributePatched', '3:AttributePatched']);
    expect(eventsRead()).toBe(0);
  });

  it('answers exactly what the log holds: events it did not follow are read after what it keeps', async () => {
    const { append, appendFollowed, types, eventsRead } = given();
    await appendFollowed('p-2', 'ProfileCreated', 'ProfilesMerged');
    await append('p-2', 'AttributePatched'); // appended, not shown yet
    expect(await types('p-2')).toEqual(['0:ProfileCreated', '1:ProfilesMerged', '2:AttributePatched']);
    expect(eventsRead()).toBe(1);
    expect(await types('p-2', 1, 1)).toEqual(['1:ProfilesMerged']);
    expect(await types('p-2', 2)).toEqual(['2:AttributePatched']);
  });

  it('ignores an event shown out of turn, and one shown twice', async () => {
    const { append, histories, appendFollowed, types } = given();
    await appendFollowed('p-3', 'ProfileCreated', 'ProfilesMerged');
    await append('p-3', 'AttributePatched'); // missed
    const later = await append('p-3', 'UserStamped');
    histories.followed(later);
    histories.followed(later);
    expect(await types('p-3')).toEqual(['0:ProfileCreated', '1:ProfilesMerged', '2:AttributePatched', '3:UserStamped']);
  });

  it('keeps a stream read whole once it absorbed a profile, so the next refold reads only what is new', async () => {
    const { append, types, eventsRead, resetReads } = given();
    await append('p-4', 'ProfileCreated');
    await append('p-4', 'ProfilesMerged');
    expect(await types('p-4')).toHaveLength(2);
    expect(eventsRead()).toBe(2);
    resetReads();
    await append('p-4', 'AttributePatched');
    expect(await types('p-4')).toHaveLength(3);
    expect(eventsRead()).toBe(1);
  });

  it('does not keep a profile that absorbed nothing when it is read, nor one that absorbed nothing in its first events', async () => {
    const { histories, append, appendFollowed, types } = given({ maxEvents: 100, maxFreshEvents: 2 });
    await append('p-5', 'ProfileCreated');
    await types('p-5');
    expect(histories.size()).toBe(0);
    await appendFollowed('p-6', 'ProfileCreated', 'AttributePatched');
    expect(histories.size()).toBe(2);
    await appendFollowed('p-6', 'AttributePatched');
    expect(histories.size()).toBe(0);
  });

  it('stays within its bound, the least recently used survivor leaving first, and keeps none larger than the bound', async () => {
    const { histories, appendFollowed, types, eventsRead } = given({ maxEvents: 6 });
    await appendFollowed('p-7', 'ProfileCreated', 'ProfilesMerged');
    await appendFollowed('p-8', 'ProfileCreated', 'ProfilesMerged');
    await appendFollowed('p-7', 'AttributePatched');
    await appendFollowed('p-9', 'ProfileCreated', 'ProfilesMerged');
    expect(histories.size()).toBeLessThanOrEqual(6);
    expect(await types('p-8')).toEqual(['0:ProfileCreated', '1:ProfilesMerged']);
    expect(eventsRead()).toBe(2);
    await appendFollowed('p-10', 'ProfileCreated', 'ProfilesMerged', 'AttributePatched', 'AttributePatched', 'AttributePatched', 'AttributePatched', 'AttributePatched');
    expect(histories.size()).toBeLessThanOrEqual(6);
    expect(await types('p-10')).toHaveLength(7);
  });

  it('forgets an erased profile at once', async () => {
    const { histories, appendFollowed, types, eventsRead } = given();
    await appendFollowed('p-11', 'ProfileCreated', 'ProfilesMerged');
    histories.forget('p-11');
    expect(histories.size()).toBe(0);
    await types('p-11');
    expect(eventsRead()).toBe(2);
  });
});
