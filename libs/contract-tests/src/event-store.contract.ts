import {
  WrongExpectedRevisionError,
  type EventStore,
  type LogFilter,
  type LogPosition,
  type LogSubscription,
  type NewEvent,
  type RecordedEvent,
} from '@cds/application';
import { beforeDeadline, collectEvents, TIMED_OUT } from './event-store.collect';
import { aNewEvent, newEvents, uniqueEventType, uniqueStreamPrefix } from './event-store.fixtures';

export interface EventStoreUnderTest {
  store: EventStore;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every EventStore shares, as the port states it. It also runs against a real
 * server whose log is shared with other tests and never empty, so every test works in streams
 * under its own random prefix, selects its events with a prefix filter (or a unique event type),
 * and compares positions only with positions it saw itself.
 */
export function describeEventStoreContract(name: string, open: () => Promise<EventStoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;
    let prefix: string;
    let subscriptions: LogSubscription[];

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      prefix = uniqueStreamPrefix();
      subscriptions = [];
    });

    afterEach(async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await subject.cleanup();
    });

    const stream = (label: string): string => `${prefix}${label}`;
    const ownFilter = (): LogFilter => ({ streamPrefixes: [prefix] });
    const ids = (events: ReadonlyArray<{ id: string }>): string[] => events.map((event) => event.id);
    const positions = (events: RecordedEvent[]): LogPosition[] => events.map((event) => event.position);
    const subscribe = (...args: Parameters<EventStore['subscribeToAll']>): LogSubscription => {
      const subscription = store.subscribeToAll(...args);
      subscriptions.push(subscription);
      return subscription;
    };

    /** Where the log ends before the test appends: reads "after" it see only newer events. */
    const currentHead = async (): Promise<LogPosition | undefined> => (await store.headPosition()) ?? undefined;

    /** Everything under this test's prefix after `after`, read in one go. */
    const readOwn = (after?: LogPosition, filter: LogFilter = ownFilter()): Promise<RecordedEvent[]> =>
      store.readAll({ after, maxCount: 10_000, filter });

    async function rejection(promise: Promise<unknown>): Promise<WrongExpectedRevisionError> {
      const error = await promise.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      return error as WrongExpectedRevisionError;
    }

    function expectStrictlyIncreasing(values: number[]): void {
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
    }

    describe('append', () => {
      it("creates a stream with 'no_stream', numbering revisions from 0", async () => {
        const events = newEvents(3);
        const result = await store.append(stream('a'), events, 'no_stream');

        const stored = await store.readStream(stream('a'));
        expect(ids(stored)).toEqual(ids(events));
        expect(stored.map((event) => event.revision)).toEqual([0, 1, 2]);
        expect(stored.every((event) => event.streamId === stream('a'))).toBe(true);
        expect(result.nextRevision).toBe(2);
        expect(result.position).toBe(stored[2].position);
        expectStrictlyIncreasing(positions(stored));
      });

      it("creates and extends a stream with 'any'", async () => {
        const first = await store.append(stream('a'), newEvents(2), 'any');
        const second = await store.append(stream('a'), newEvents(1), 'any');

        expect(first.nextRevision).toBe(1);
        expect(second.nextRevision).toBe(2);
        expect(second.position).toBeGreaterThan(first.position);
        expect((await store.readStream(stream('a'))).map((event) => event.revision)).toEqual([0, 1, 2]);
      });

      it('gives positions that increase across appends, across streams and within a batch', async () => {
        const results = [
          await store.append(stream('a'), newEvents(2), 'no_stream'),
          await store.append(stream('b'), newEvents(3), 'no_stream'),
          await store.append(stream('a'), newEvents(1), 1),
        ];
        expectStrictlyIncreasing(results.map((result) => result.position));

        const all = await readOwn();
        expect(all).toHaveLength(6);
        expectStrictlyIncreasing(positions(all));
        expect(all.map((event) => event.streamId)).toEqual([
          stream('a'),
          stream('a'),
          stream('b'),
          stream('b'),
          stream('b'),
          stream('a'),
        ]);
        expect(results.map((result) => result.position)).toEqual([all[1].position, all[4].position, all[5].position]);
      });

      it('reports the appended position as the head of the log', async () => {
        const result = await store.append(stream('a'), newEvents(2), 'no_stream');
        const head = await store.headPosition();
        // A shared server may have logged more since; only then may the head be further along.
        const later = await store.readAll({ after: result.position, maxCount: 1 });
        if (later.length === 0) expect(head).toBe(result.position);
        else expect(head).toBeGreaterThan(result.position);
      });
    });

    describe('expected revision', () => {
      const seed = async (count: number): Promise<NewEvent[]> => {
        const events = newEvents(count);
        await store.append(stream('s'), events, 'no_stream');
        return events;
      };

      it('appends when the expected revision is the last one', async () => {
        await seed(2);
        const result = await store.append(stream('s'), newEvents(2), 1);
        expect(result.nextRevision).toBe(3);
        expect(await store.readStream(stream('s'))).toHaveLength(4);
      });

      it('rejects an older expected revision and reports the actual one', async () => {
        await seed(2);
        const error = await rejection(store.append(stream('s'), newEvents(1), 0));
        expect(error.streamId).toBe(stream('s'));
        expect(error.expected).toBe(0);
        expect(error.actual).toBe(1);
      });

      it('rejects an expected revision beyond the end of the stream', async () => {
        await seed(2);
        expect((await rejection(store.append(stream('s'), newEvents(1), 5))).actual).toBe(1);
      });

      it("rejects a number on a missing stream with actual 'no_stream'", async () => {
        const error = await rejection(store.append(stream('missing'), newEvents(1), 0));
        expect(error.actual).toBe('no_stream');
      });

      it("rejects 'no_stream' when the stream exists", async () => {
        await seed(3);
        const error = await rejection(store.append(stream('s'), newEvents(1), 'no_stream'));
        expect(error.expected).toBe('no_stream');
        expect(error.actual).toBe(2);
      });

      it("rejects 'stream_exists' on a missing stream and accepts it on an existing one", async () => {
        const error = await rejection(store.append(stream('missing'), newEvents(1), 'stream_exists'));
        expect(error.expected).toBe('stream_exists');
        expect(error.actual).toBe('no_stream');
        expect(await store.readStream(stream('missing'))).toEqual([]);

        await seed(1);
        expect((await store.append(stream('s'), newEvents(1), 'stream_exists')).nextRevision).toBe(1);
      });

      it('appends nothing when it rejects', async () => {
        const seeded = await seed(2);
        const refused = newEvents(3);
        await rejection(store.append(stream('s'), refused, 0));
        await rejection(store.append(stream('other'), newEvents(2), 'stream_exists'));

        expect(ids(await store.readStream(stream('s')))).toEqual(ids(seeded));
        expect(await store.readStream(stream('other'))).toEqual([]);
        expect(ids(await readOwn())).toEqual(ids(seeded));
      });

      it('lets exactly one of several concurrent appends with the same expected revision win', async () => {
        await seed(1);
        const attempts = Array.from({ length: 8 }, () => newEvents(2));
        const outcomes = await Promise.allSettled(attempts.map((events) => store.append(stream('s'), events, 0)));

        const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
            expect((outcome.reason as WrongExpectedRevisionError).actual).toBe(2);
          }
        }
        const stored = await store.readStream(stream('s'));
        expect(stored).toHaveLength(3);
        expect(ids(stored.slice(1))).toEqual(ids(attempts[winners[0]]));
      });

      it("lets exactly one of several concurrent 'no_stream' appends create the stream", async () => {
        const attempts = Array.from({ length: 8 }, () => newEvents(1));
        const outcomes = await Promise.allSettled(attempts.map((events) => store.append(stream('n'), events, 'no_stream')));

        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream('n'))).toHaveLength(1);
      });

      it('recognises a retried append (same event ids, same expected revision) and writes nothing', async () => {
        const created = newEvents(2);
        const first = await store.append(stream('s'), created, 'no_stream');
        const retry = await store.append(stream('s'), created, 'no_stream');
        expect(retry.nextRevision).toBe(first.nextRevision);
        // A store that says whether it wrote never says so of a retry (writers trust it and skip reading back).
        expect(first.written).not.toBe(false);
        expect(retry.written).not.toBe(true);

        const next = newEvents(1);
        await store.append(stream('s'), next, 1);
        // Still a retry after the stream moved on: the events after the expected revision match.
        expect((await store.append(stream('s'), next, 1)).nextRevision).toBe(2);
        expect((await store.append(stream('s'), created, 'no_stream')).nextRevision).toBe(1);

        expect(ids(await store.readStream(stream('s')))).toEqual(ids([...created, ...next]));
      });
    });

    describe('readStream', () => {
      let stored: NewEvent[];
      const revisions = (events: RecordedEvent[]): number[] => events.map((event) => event.revision);

      beforeEach(async () => {
        stored = newEvents(5);
        await store.append(stream('r'), stored.slice(0, 2), 'no_stream');
        await store.append(stream('r'), stored.slice(2), 1);
      });

      it('reads forwards from the start by default', async () => {
        const events = await store.readStream(stream('r'));
        expect(ids(events)).toEqual(ids(stored));
        expect(revisions(events)).toEqual([0, 1, 2, 3, 4]);
      });

      it('reads forwards from a revision, inclusive, up to maxCount', async () => {
        expect(revisions(await store.readStream(stream('r'), { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(revisions(await store.readStream(stream('r'), { maxCount: 2 }))).toEqual([0, 1]);
        expect(revisions(await store.readStream(stream('r'), { fromRevision: 1, maxCount: 3 }))).toEqual([1, 2, 3]);
        expect(await store.readStream(stream('r'), { fromRevision: 5 })).toEqual([]);
      });

      it('reads backwards from the end, or from a revision, inclusive, up to maxCount', async () => {
        expect(revisions(await store.readStream(stream('r'), { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(revisions(await store.readStream(stream('r'), { direction: 'backwards', maxCount: 2 }))).toEqual([4, 3]);
        expect(revisions(await store.readStream(stream('r'), { direction: 'backwards', fromRevision: 2 }))).toEqual([
          2, 1, 0,
        ]);
        expect(
          revisions(await store.readStream(stream('r'), { direction: 'backwards', fromRevision: 3, maxCount: 2 })),
        ).toEqual([3, 2]);
      });

      it('reads a missing stream as an empty list', async () => {
        expect(await store.readStream(stream('missing'))).toEqual([]);
        expect(await store.readStream(stream('missing'), { direction: 'backwards' })).toEqual([]);
      });

      it('returns only the stream asked for', async () => {
        await store.append(stream('r2'), newEvents(2), 'no_stream');
        expect(await store.readStream(stream('r'))).toHaveLength(5);
        expect(await store.readStream(stream('r2'))).toHaveLength(2);
      });
    });

    describe('round trip', () => {
      it('returns data, metadata, type and id exactly as appended', async () => {
        const data = {
          text: 'Zoë Ångström — 東京 🚀 "quoted" \\ back\nslash\ttab',
          empty: '',
          numbers: { zero: 0, negative: -17, fraction: 1.5, tiny: 1.5e-7, large: 2 ** 53 - 1, big: 1e21, pi: 3.141592653589793 },
          flags: [true, false, null],
          nested: { deeper: { deepest: [1, { two: [3, []] }, {}] } },
        };
        const metadata = {
          schema_version: 1,
          tenant: 'acme',
          correlation_id: 'req-123',
          actor: { kind: 'user', name: 'Søren' },
        };
        const event = aNewEvent({ type: 'ContractRoundTrip', data, metadata });
        await store.append(stream('rt'), [event], 'no_stream');

        const [stored] = await store.readStream(stream('rt'));
        expect(stored.id).toBe(event.id);
        expect(stored.type).toBe('ContractRoundTrip');
        expect(stored.data).toStrictEqual(data);
        expect(stored.metadata).toStrictEqual(metadata);
        const [fromLog] = await readOwn();
        expect(fromLog).toStrictEqual(stored);
      });

      it('stamps each event with an ISO 8601 creation time', async () => {
        const before = Date.now();
        await store.append(stream('t'), newEvents(2), 'no_stream');
        for (const event of await store.readStream(stream('t'))) {
          expect(event.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
          const created = Date.parse(event.created);
          // Generous bounds: a server's clock need not match ours to the millisecond.
          expect(Math.abs(created - before)).toBeLessThan(10 * 60 * 1000);
        }
      });
    });

    describe('readAll', () => {
      let before: LogPosition | undefined;
      let appended: NewEvent[];
      let typeA: string;
      let typeB: string;

      beforeEach(async () => {
        before = await currentHead();
        typeA = uniqueEventType('ContractA');
        typeB = uniqueEventType('ContractB');
        appended = [];
        const plan: Array<[string, string]> = [
          ['x', typeA],
          ['y', typeB],
          ['x', typeB],
          ['z', typeA],
          ['y', typeA],
          ['x', typeA],
          ['z', typeB],
        ];
        for (const [label, type] of plan) {
          const event = aNewEvent({ type });
          await store.append(stream(label), [event], 'any');
          appended.push(event);
        }
      });

      it('returns the events in log order', async () => {
        const all = await readOwn(before);
        expect(ids(all)).toEqual(ids(appended));
        expectStrictlyIncreasing(positions(all));
        expect(ids(await readOwn())).toEqual(ids(appended));
      });

      it("treats 'after' as exclusive", async () => {
        const all = await readOwn(before);
        expect(ids(await readOwn(all[2].position))).toEqual(ids(appended.slice(3)));
        expect(await readOwn(all[all.length - 1].position)).toEqual([]);
      });

      it('pages through the log with maxCount, in order, without gaps or repeats', async () => {
        const page = async (filter: LogFilter | undefined, size: number): Promise<RecordedEvent[]> => {
          const seen: RecordedEvent[] = [];
          let after = before;
          for (let round = 0; round < 10_000; round++) {
            const events = await store.readAll({ after, maxCount: size, filter });
            expect(events.length).toBeLessThanOrEqual(size);
            if (events.length === 0) return seen;
            if (after !== undefined) expect(events[0].position).toBeGreaterThan(after);
            expectStrictlyIncreasing(positions(events));
            seen.push(...events);
            after = events[events.length - 1].position;
          }
          throw new Error('paging did not end');
        };
        expect(ids(await page(ownFilter(), 2))).toEqual(ids(appended));
        const unfiltered = await page(undefined, 3);
        expect(ids(unfiltered.filter((event) => event.streamId.startsWith(prefix)))).toEqual(ids(appended));
      });

      it('filters by stream prefixes', async () => {
        const xs = await readOwn(before, { streamPrefixes: [stream('x')] });
        expect(ids(xs)).toEqual(ids([appended[0], appended[2], appended[5]]));
        const xz = await readOwn(before, { streamPrefixes: [stream('x'), stream('z')] });
        expect(ids(xz)).toEqual(ids([appended[0], appended[2], appended[3], appended[5], appended[6]]));
        expect(await readOwn(before, { streamPrefixes: [stream('nothing')] })).toEqual([]);
      });

      it('filters by event types', async () => {
        const a = await readOwn(before, { eventTypes: [typeA] });
        expect(ids(a)).toEqual(ids(appended.filter((event) => event.type === typeA)));
        const both = await readOwn(before, { eventTypes: [typeA, typeB] });
        expect(ids(both)).toEqual(ids(appended));
      });

      it('applies maxCount after the filter', async () => {
        const page = await store.readAll({ after: before, maxCount: 2, filter: { eventTypes: [typeB] } });
        expect(ids(page)).toEqual(ids([appended[1], appended[2]]));
      });

      it('treats empty filter lists as no restriction', async () => {
        const all = await store.readAll({ after: before, maxCount: 10_000, filter: { streamPrefixes: [], eventTypes: [] } });
        expect(ids(all.filter((event) => event.streamId.startsWith(prefix)))).toEqual(ids(appended));
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a position, then delivers live events in order', async () => {
        await store.append(stream('old'), newEvents(1), 'no_stream');
        const before = await currentHead();
        const early = newEvents(3);
        await store.append(stream('a'), early.slice(0, 2), 'no_stream');
        await store.append(stream('b'), early.slice(2), 'no_stream');

        const subscription = subscribe({ after: before, filter: ownFilter() });
        const caughtUp = await collectEvents(subscription, 3);
        expect(ids(caughtUp)).toEqual(ids(early));

        const late = newEvents(2);
        await store.append(stream('a'), late.slice(0, 1), 1);
        await store.append(stream('c'), late.slice(1), 'no_stream');
        const live = await collectEvents(subscription, 2);
        expect(ids(live)).toEqual(ids(late));
        expectStrictlyIncreasing(positions([...caughtUp, ...live]));
        expect(live[0].revision).toBe(2);
      });

      it('starts from the beginning of the log without a position', async () => {
        const events = newEvents(2);
        await store.append(stream('a'), events, 'no_stream');
        const subscription = subscribe({ filter: ownFilter() });
        expect(ids(await collectEvents(subscription, 2))).toEqual(ids(events));
      });

      it('delivers only events that pass the filter', async () => {
        const before = await currentHead();
        const type = uniqueEventType();
        const wanted = aNewEvent({ type });
        await store.append(stream('a'), [aNewEvent(), wanted, aNewEvent()], 'no_stream');

        const byType = subscribe({ after: before, filter: { eventTypes: [type] } });
        const byStream = subscribe({ after: before, filter: { streamPrefixes: [stream('b')] } });
        expect(ids(await collectEvents(byType, 1))).toEqual([wanted.id]);

        const inB = aNewEvent({ type });
        await store.append(stream('c'), [aNewEvent()], 'no_stream');
        await store.append(stream('b'), [inB], 'no_stream');
        // The filter held back everything else, so the next event each sees is this one.
        expect(ids(await collectEvents(byStream, 1))).toEqual([inB.id]);
        expect(ids(await collectEvents(byType, 1))).toEqual([inB.id]);
      });

      it('shows every subscriber the same order', async () => {
        const before = await currentHead();
        const first = subscribe({ after: before, filter: ownFilter() });
        const second = subscribe({ after: before, filter: ownFilter() });

        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => store.append(stream(`s${i % 3}`), newEvents(1 + (i % 2)), 'any')),
        );
        const total = 18;
        const seenByFirst = await collectEvents(first, total);
        const seenBySecond = await collectEvents(second, total);

        expect(ids(seenBySecond)).toEqual(ids(seenByFirst));
        expectStrictlyIncreasing(positions(seenByFirst));
        expect(ids(seenByFirst)).toEqual(ids(await readOwn(before)));
        expect(seenByFirst[total - 1].position).toBe(Math.max(...results.map((result) => result.position)));
      });

      it('ends iteration when closed, also for a reader that is waiting', async () => {
        const subscription = subscribe({ after: await currentHead(), filter: ownFilter() });
        const iterator = subscription[Symbol.asyncIterator]();
        const waiting = iterator.next();
        await subscription.close();

        const result = await beforeDeadline(waiting, Date.now() + 2000);
        expect(result).not.toBe(TIMED_OUT);
        expect((result as IteratorResult<RecordedEvent>).done).toBe(true);
        const afterwards = await beforeDeadline(iterator.next(), Date.now() + 2000);
        expect((afterwards as IteratorResult<RecordedEvent>).done).toBe(true);
      });

      it('ends a for-await loop when closed', async () => {
        const events = newEvents(2);
        await store.append(stream('a'), events, 'no_stream');
        const subscription = subscribe({ filter: ownFilter() });
        const seen: string[] = [];
        const loop = (async () => {
          for await (const event of subscription) {
            seen.push(event.id);
            if (seen.length === 2) void subscription.close();
          }
        })();
        expect(await beforeDeadline(loop, Date.now() + 5000)).not.toBe(TIMED_OUT);
        expect(seen).toEqual(ids(events));
      });
    });
  });
}
