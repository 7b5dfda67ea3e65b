import {
  END,
  eventTypeFilter,
  excludeSystemEvents,
  START,
  streamNameFilter,
  type Position,
} from '@eventstore/db-client';
import { once, take, testEvent, types, uniqueStream, useEmulator } from './test/emulator-fixture';

describe('esdb emulator: subscriptions', () => {
  const fixture = useEmulator();

  it('subscribeToAll catches up, reports caughtUp, then delivers live events', async () => {
    const { client } = fixture();
    const stream = uniqueStream('sub-all');
    await client.appendToStream(stream, [testEvent('Old1'), testEvent('Old2')]);

    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({ prefixes: [stream] }),
    });
    const caughtUp = once(subscription, 'caughtUp');
    const history = await take(subscription, 2);
    await caughtUp;
    expect(types(history)).toEqual(['Old1', 'Old2']);

    const live = take(subscription, 2);
    await client.appendToStream(stream, testEvent('New1'));
    await client.appendToStream(uniqueStream('other'), testEvent('Ignored'));
    await client.appendToStream(stream, testEvent('New2'));
    expect(types(await live)).toEqual(['New1', 'New2']);
    await subscription.unsubscribe();
  });

  it('subscribeToAll from a position starts after that position', async () => {
    const { client } = fixture();
    const stream = uniqueStream('resume');
    const first = await client.appendToStream(stream, testEvent('Seen'));
    await client.appendToStream(stream, [testEvent('Next1'), testEvent('Next2')]);

    const subscription = client.subscribeToAll({
      fromPosition: first.position!,
      filter: streamNameFilter({ prefixes: [stream] }),
    });
    expect(types(await take(subscription, 2))).toEqual(['Next1', 'Next2']);
    await subscription.unsubscribe();
  });

  it('subscribeToAll from END only sees new events; without a filter it sees everything', async () => {
    const { client } = fixture();
    await client.appendToStream(uniqueStream(), testEvent('Before'));
    const subscription = client.subscribeToAll({ fromPosition: END });
    await once(subscription, 'caughtUp');
    const received = take(subscription, 2);
    await client.appendToStream(uniqueStream(), [testEvent('After1'), testEvent('After2')]);
    expect(types(await received)).toEqual(['After1', 'After2']);
    await subscription.unsubscribe();
  });

  it('sends filter checkpoints while scanning non-matching events, and when caught up', async () => {
    const { client } = fixture();
    const noise = uniqueStream('noise');
    await client.appendToStream(noise, Array.from({ length: 12 }, () => testEvent('Noise')));
    const last = await client.appendToStream(noise, testEvent('Noise'));

    const checkpoints: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: eventTypeFilter({
        prefixes: ['NeverWritten'],
        maxSearchWindow: 2,
        checkpointInterval: 2,
        checkpointReached: (_subscription, position) => {
          checkpoints.push(position);
        },
      }),
    });
    await once(subscription, 'caughtUp');
    expect(checkpoints.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < checkpoints.length; i++) {
      expect(checkpoints[i].commit).toBeGreaterThanOrEqual(checkpoints[i - 1].commit);
    }
    expect(checkpoints[checkpoints.length - 1]).toEqual(last.position);

    // Live: four more non-matching events reach the interval (2 x 2) once more.
    const before = checkpoints.length;
    await client.appendToStream(noise, Array.from({ length: 4 }, () => testEvent('Noise')));
    await waitFor(() => checkpoints.length > before);
    await subscription.unsubscribe();
  });

  it('excludeSystemEvents hides $-prefixed event types', async () => {
    const { client } = fixture();
    const stream = uniqueStream('sys');
    const subscription = client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    await once(subscription, 'caughtUp');
    const received = take(subscription, 1);
    await client.appendToStream(stream, [testEvent('$system'), testEvent('UserThing')]);
    expect(types(await received)).toEqual(['UserThing']);
    await subscription.unsubscribe();
  });

  it('subscribeToStream catches up from START or after a revision, then goes live', async () => {
    const { client } = fixture();
    const stream = uniqueStream('sub-stream');
    await client.appendToStream(stream, [testEvent('A'), testEvent('B'), testEvent('C')]);

    const fromStart = client.subscribeToStream(stream, { fromRevision: START });
    expect(types(await take(fromStart, 3))).toEqual(['A', 'B', 'C']);
    const afterB = client.subscribeToStream(stream, { fromRevision: 1n });
    expect(types(await take(afterB, 1))).toEqual(['C']);

    const liveFromStart = take(fromStart, 1);
    const liveAfterB = take(afterB, 1);
    await client.appendToStream(uniqueStream(), testEvent('Elsewhere'));
    await client.appendToStream(stream, testEvent('D'));
    expect(types(await liveFromStart)).toEqual(['D']);
    expect(types(await liveAfterB)).toEqual(['D']);
    expect((await liveAfterB)[0].event!.revision).toBe(3n);
    await fromStart.unsubscribe();
    await afterB.unsubscribe();
  });

  it('subscribeToStream waits for a stream that does not exist yet', async () => {
    const { client } = fixture();
    const stream = uniqueStream('later');
    const subscription = client.subscribeToStream(stream, { fromRevision: START });
    await once(subscription, 'caughtUp');
    const received = take(subscription, 1);
    await client.appendToStream(stream, testEvent('Born'));
    expect(types(await received)).toEqual(['Born']);
    await subscription.unsubscribe();
  });

  it('unsubscribe ends delivery cleanly and the emulator keeps serving', async () => {
    const { client } = fixture();
    const stream = uniqueStream('unsub');
    const subscription = client.subscribeToStream(stream, { fromRevision: START });
    const errors: unknown[] = [];
    subscription.on('error', (error) => errors.push(error));
    await once(subscription, 'confirmation');
    await subscription.unsubscribe();

    const afterUnsubscribe: unknown[] = [];
    subscription.on('data', (event) => afterUnsubscribe.push(event));
    await client.appendToStream(stream, testEvent('Late'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(afterUnsubscribe).toEqual([]);
    expect(errors).toEqual([]);

    const again = client.subscribeToStream(stream, { fromRevision: START });
    expect(types(await take(again, 1))).toEqual(['Late']);
    await again.unsubscribe();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
