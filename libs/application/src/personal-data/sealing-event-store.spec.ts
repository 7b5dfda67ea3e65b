import { NewEvent, RecordedEvent } from '../ports/event-store.port';
import { profileStream } from '../streams/stream-names';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { InMemoryKeyStore } from './in-memory-key-store';
import { generateMasterKey, masterKeys } from './master-keys';
import { SealedPayloadError } from './sealed-payload';
import { SealingEventStore } from './sealing-event-store';
import { SubjectKeys } from './subject-keys';

const patched = (profile: string, i: number): NewEvent => ({
  id: `e-${profile}-${i}`,
  type: 'AttributePatched',
  data: { profile_id: profile, writes: [{ scope: 'traits', attribute: 'note', value: `Zoë ${i}` }], source: 'http', at: '2026-01-01T00:00:00.000Z' },
  metadata: { tenant: 'acme', schema_version: 1 },
});

describe('SealingEventStore', () => {
  const stores: SealingEventStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  /** A log of 300 sealed events over 30 profiles, and a reader with keys of its own (nothing cached). */
  async function sealedLog() {
    const log = new InMemoryEventStore();
    const keyStore = new InMemoryKeyStore();
    const keys = masterKeys(generateMasterKey());
    const writer = new SealingEventStore(log, new SubjectKeys(keyStore, keys));
    for (let i = 0; i < 300; i++) await writer.append(profileStream('acme', `p-${i % 30}`), [patched(`p-${i % 30}`, i)], 'any');
    const reader = () => {
      const subjectKeys = new SubjectKeys(keyStore, keys);
      const store = new SealingEventStore(log, subjectKeys);
      stores.push(store);
      return { store, subjectKeys };
    };
    return { log, reader };
  }

  async function pageByPage(store: SealingEventStore, size: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readAll({ after: events.at(-1)?.position, maxCount: size });
      if (page.length === 0) return events;
      events.push(...page);
    }
  }

  it('keeps personal data out of the stored log', async () => {
    const { log } = await sealedLog();
    expect(JSON.stringify(log.all())).not.toContain('Zoë');
    expect(log.all()[0].data).toEqual({ profile_id: 'p-0', source: 'http', at: '2026-01-01T00:00:00.000Z', sealed: expect.any(String) });
  });

  it('reads large pages (opened on another thread) exactly as small ones', async () => {
    const { reader } = await sealedLog();
    const large = await pageByPage(reader().store, 300);
    expect(large).toEqual(await pageByPage(reader().store, 7));
    expect(large[299]).toMatchObject({ type: 'AttributePatched', data: { profile_id: 'p-29', writes: [{ value: 'Zoë 299' }] } });
  });

  it('reads a long stream (opened partly on another thread, partly where it is read) in order, exactly', async () => {
    const log = new InMemoryEventStore();
    const keyStore = new InMemoryKeyStore();
    const keys = masterKeys(generateMasterKey());
    const writer = new SealingEventStore(log, new SubjectKeys(keyStore, keys));
    stores.push(writer);
    const stream = profileStream('acme', 'p-long');
    for (let i = 0; i < 400; i++) await writer.append(stream, [patched('p-long', i)], 'any');
    const reader = new SealingEventStore(log, new SubjectKeys(keyStore, keys));
    stores.push(reader);
    const events = await reader.readStream(stream);
    expect(events.map((event) => (event.data as { writes: Array<{ value: string }> }).writes[0].value)).toEqual(Array.from({ length: 400 }, (_, i) => `Zoë ${i}`));
    expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });

  it('reads the events of an erased subject as its erasure, in large pages too', async () => {
    const { reader } = await sealedLog();
    const { store, subjectKeys } = reader();
    await subjectKeys.erase('acme', ['p-3']);
    const events = await pageByPage(store, 300);
    const ofErased = events.filter((event) => event.streamId === profileStream('acme', 'p-3'));
    expect(ofErased).toHaveLength(10);
    for (const event of ofErased) expect(event).toMatchObject({ type: 'ProfileDeleted', data: { profile_id: 'p-3' } });
    expect(events.filter((event) => event.type === 'AttributePatched')).toHaveLength(290);
  });

  it('fails a large page with a damaged payload as it fails a small one', async () => {
    const { log, reader } = await sealedLog();
    const damaged = log.all()[150].data as { sealed: string };
    damaged.sealed = `${damaged.sealed.slice(0, 20)}A${damaged.sealed.slice(21)}`;
    await expect(reader().store.readAll({ maxCount: 300 })).rejects.toThrow(SealedPayloadError);
    await expect(reader().store.readAll({ after: 150, maxCount: 1 })).rejects.toThrow(SealedPayloadError);
  });
});
