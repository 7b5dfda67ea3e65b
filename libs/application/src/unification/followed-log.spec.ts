import { randomUUID } from 'node:crypto';
import { NewEvent, ReadStreamOptions, RecordedEvent, WrongExpectedRevisionError } from '../ports/event-store.port';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { FollowedLog } from './followed-log';

const STREAM = 'profile-acme.p1';
const event = (n: number): NewEvent => ({ id: randomUUID(), type: 'Visited', data: { n }, metadata: { schema_version: 1, tenant: 'acme' } });

/** The log as stored, counting the reads that reach it. */
class CountingLog extends InMemoryEventStore {
  reads = 0;
  override async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.reads += 1;
    return super.readStream(streamId, options);
  }
}

describe('FollowedLog', () => {
  it('answers a catch-up read past what the subscription showed without asking the log', async () => {
    const log = new CountingLog();
    await log.append(STREAM, [event(0), event(1)], 'no_stream');
    const followed = new FollowedLog(log);
    for (const recorded of await log.readAll({ maxCount: 10 })) followed.observe(recorded);
    log.reads = 0;

    expect(await followed.readStream(STREAM, { fromRevision: 2 })).toEqual([]);
    expect(log.reads).toBe(0);
    // Revisions it has seen are read from the log, as are streams it never saw.
    expect((await followed.readStream(STREAM, { fromRevision: 1 })).map((e) => e.revision)).toEqual([1]);
    expect(await followed.readStream('profile-acme.unseen', { fromRevision: 0 })).toEqual([]);
    expect(log.reads).toBe(2);
  });

  it('reads again after an append was refused for its revision, and finds what another writer appended', async () => {
    const log = new CountingLog();
    const followed = new FollowedLog(log);
    await followed.append(STREAM, [event(0)], 'no_stream');
    // Another writer appends; the subscription has not shown it yet.
    await log.append(STREAM, [event(1)], 0);
    expect(await followed.readStream(STREAM, { fromRevision: 1 })).toEqual([]);
    await expect(followed.append(STREAM, [event(2)], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect((await followed.readStream(STREAM, { fromRevision: 1 })).map((e) => e.data)).toEqual([{ n: 1 }]);
    await followed.append(STREAM, [event(2)], 1);
    expect(await followed.readStream(STREAM, { fromRevision: 3 })).toEqual([]);
  });

  it('reads a stream once for catch-ups that ask for it at the same time', async () => {
    const log = new CountingLog();
    await log.append(STREAM, [event(0), event(1), event(2)], 'no_stream');
    const followed = new FollowedLog(log);
    const [all, later] = await Promise.all([followed.readStream(STREAM, { fromRevision: 0 }), followed.readStream(STREAM, { fromRevision: 2 })]);
    expect(all.map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(later.map((e) => e.revision)).toEqual([2]);
    expect(log.reads).toBe(1);
  });
});
