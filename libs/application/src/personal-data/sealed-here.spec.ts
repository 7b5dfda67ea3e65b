import { NewEvent, RecordedEvent } from '../ports/event-store.port';
import { profileStream } from '../streams/stream-names';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { InMemoryKeyStore } from './in-memory-key-store';
import { generateMasterKey, masterKeys } from './master-keys';
import { SealingEventStore } from './sealing-event-store';
import { SubjectKeys } from './subject-keys';

const master = masterKeys(generateMasterKey());
const STREAM = profileStream('acme', 'p-1');
const patched = (value: string): NewEvent => ({
  id: `e-${value.length}`,
  type: 'AttributePatched',
  data: { profile_id: 'p-1', writes: [{ scope: 'traits', attribute: 'email', value }], source: 'http', at: '2026-01-01T00:00:00.000Z' },
  metadata: { tenant: 'acme', schema_version: 1 },
});

/** Two processes on one log and one key store; `now` is the clock of the first one's key cache. */
function twoProcesses() {
  const log = new InMemoryEventStore();
  const keyStore = new InMemoryKeyStore();
  const clock = { ms: 0 };
  const keys = new SubjectKeys(keyStore, master, { maxAgeMs: 1000, now: () => clock.ms });
  const otherKeys = new SubjectKeys(keyStore, master);
  return { log, clock, keys, otherKeys, here: new SealingEventStore(log, keys), other: new SealingEventStore(log, otherKeys) };
}

async function firstFromSubscription(store: SealingEventStore): Promise<RecordedEvent> {
  const subscription = store.subscribeToAll();
  try {
    for await (const event of subscription) return event;
    throw new Error('the subscription ended without an event');
  } finally {
    await subscription.close();
  }
}

describe('SealingEventStore reading back what it sealed', () => {
  it('reads back what it sealed as written, as another process does, while the log holds it sealed', async () => {
    const { log, here, other } = twoProcesses();
    await here.append(STREAM, [patched('alice@example.com')], 'no_stream');

    const [stored] = await log.readStream(STREAM);
    expect(JSON.stringify(stored.data)).not.toContain('alice');
    const [readHere] = await here.readStream(STREAM);
    const [readThere] = await other.readStream(STREAM);
    expect(readHere.data).toEqual(patched('alice@example.com').data);
    expect(readThere.data).toEqual(readHere.data);
    expect((await firstFromSubscription(here)).data).toEqual(readHere.data);
  });

  it('reads what it sealed as erased once the subject is erased here', async () => {
    const { here, keys } = twoProcesses();
    await here.append(STREAM, [patched('alice@example.com')], 'no_stream');
    await keys.erase('acme', ['p-1']);

    const [read] = await here.readStream(STREAM);
    expect(read.type).toBe('ProfileDeleted');
    expect(JSON.stringify(read.data)).not.toContain('alice');
    expect((await firstFromSubscription(here)).type).toBe('ProfileDeleted');
  });

  it('reads what it sealed as erased once another process erased the subject and the key is asked for again', async () => {
    const { here, otherKeys, clock } = twoProcesses();
    await here.append(STREAM, [patched('alice@example.com')], 'no_stream');
    await otherKeys.erase('acme', ['p-1']);
    clock.ms += 1001;

    const [read] = await here.readStream(STREAM);
    expect(read.type).toBe('ProfileDeleted');
    expect(JSON.stringify(read)).not.toContain('alice');
  });
});
