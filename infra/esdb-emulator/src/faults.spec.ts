import { START, streamNameFilter, TimeoutError, UnavailableError, WrongExpectedVersionError } from '@eventstore/db-client';
import { startEsdbEmulator } from './index';
import { collect, take, testEvent, types, uniqueStream, useEmulator } from './test/emulator-fixture';

function errorOf(subscription: NodeJS.EventEmitter): Promise<unknown> {
  return new Promise((resolve) => subscription.once('error', resolve));
}

describe('esdb emulator: faults on command', () => {
  const fixture = useEmulator();
  afterEach(() => fixture().emulator.faults.clear());

  it('drops a subscription as a too-slow consumer is dropped: ABORTED, the client resubscribes from where it got to', async () => {
    const { client, emulator } = fixture();
    const stream = uniqueStream('drop');
    await client.appendToStream(stream, [testEvent('A'), testEvent('B'), testEvent('C')]);
    const subscription = client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [stream] }) });
    const seen = await take(subscription, 2);
    const failed = errorOf(subscription);
    expect(emulator.faults.dropSubscriptions('consumer-too-slow')).toBeGreaterThanOrEqual(1);
    const error = await failed;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(String((error as Error).message)).toContain('Consumer too slow');
    expect(emulator.faults.state()).toMatchObject({ droppedSubscriptions: expect.any(Number) });

    const resumed = client.subscribeToAll({ fromPosition: seen[1].event!.position!, filter: streamNameFilter({ prefixes: [stream] }) });
    expect(types(await take(resumed, 1))).toEqual(['C']);
    await resumed.unsubscribe();
  });

  it('drops a subscription in the middle of its catch-up, after the events it was told', async () => {
    const { client, emulator } = fixture();
    const stream = uniqueStream('midway');
    await client.appendToStream(stream, Array.from({ length: 50 }, (_, i) => testEvent(`E${i}`)));
    const subscription = client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [stream] }) });
    await take(subscription, 1);
    emulator.faults.dropSubscriptions('unavailable', 10);
    const received: string[] = [];
    subscription.on('data', (e) => received.push(e.event!.type));
    const error = await errorOf(subscription);
    expect(error).toBeInstanceOf(UnavailableError);
    // Events already on the wire before the command still arrive; the catch-up ends short of the 50.
    expect(received.length).toBeGreaterThanOrEqual(10);
    expect(1 + received.length).toBeLessThan(50);
  });

  it('refuses appends without writing, or times a commit out after writing, as the server does', async () => {
    const { client, emulator } = fixture();
    const stream = uniqueStream('refuse');
    emulator.faults.refuseAppends('not-ready', 1);
    await expect(client.appendToStream(stream, testEvent('Refused'))).rejects.toBeInstanceOf(UnavailableError);
    await client.appendToStream(stream, testEvent('Accepted'));

    emulator.faults.refuseAppends('commit-timeout', 1);
    const retried = testEvent('TimedOut');
    await expect(client.appendToStream(stream, retried, { expectedRevision: 0n })).rejects.toBeInstanceOf(TimeoutError);
    // It was written: a retry with the same event id is recognised, and nothing is written twice.
    await client.appendToStream(stream, retried, { expectedRevision: 0n });
    await expect(client.appendToStream(stream, testEvent('Other'), { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(types(await collect(client.readStream(stream)))).toEqual(['Accepted', 'TimedOut']);
    expect(emulator.faults.state().refusedAppends).toBeGreaterThanOrEqual(2);
  });

  it('delays appends while told to', async () => {
    const { client, emulator } = fixture();
    emulator.faults.delayAppends(150);
    const started = Date.now();
    await client.appendToStream(uniqueStream('slow'), testEvent('Slow'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('takes the same commands over HTTP when started with a control port', async () => {
    const emulator = await startEsdbEmulator({ controlPort: 0 });
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${emulator.controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post('/faults/refuse-appends', { reason: 'too-busy', count: 2 })).status).toBe(200);
      expect(emulator.faults.state().refuseAppends).toEqual({ reason: 'too-busy', remaining: 2 });
      expect((await post('/faults/refuse-appends', { reason: 'nonsense' })).status).toBe(400);
      expect((await post('/faults/delay-appends', { ms: 20 })).status).toBe(200);
      expect(await (await fetch(`${emulator.controlUrl}/faults`)).json()).toMatchObject({ appendDelayMs: 20 });
      expect((await post('/faults/clear', {})).status).toBe(200);
      expect(emulator.faults.state()).toMatchObject({ refuseAppends: null, appendDelayMs: 0 });
    } finally {
      await emulator.stop();
    }
  });
});
