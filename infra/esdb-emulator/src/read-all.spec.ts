import { BACKWARDS, END, FORWARDS, START, type ResolvedEvent } from '@eventstore/db-client';
import { collect, testEvent, types, uniqueStream, useEmulator } from './test/emulator-fixture';
import { filteredReadAll } from './test/raw-read';

describe('esdb emulator: reading $all', () => {
  const fixture = useEmulator();
  const orders = uniqueStream('order');
  const customers = uniqueStream('customer');
  let written: ResolvedEvent[] = [];

  beforeAll(async () => {
    const { client } = fixture();
    await client.appendToStream(customers, [testEvent('CustomerRegistered'), testEvent('EmailChanged')]);
    await client.appendToStream(orders, testEvent('OrderPlaced', { total: 10 }));
    await client.appendToStream(customers, testEvent('CustomerMerged'));
    await client.appendToStream(uniqueStream('$internal'), testEvent('$statsCollected'));
    written = await collect(client.readAll({ fromPosition: START }));
  });

  it('returns every user event once, in append order, with increasing positions', () => {
    expect(types(written)).toEqual([
      'CustomerRegistered',
      'EmailChanged',
      'OrderPlaced',
      'CustomerMerged',
      '$statsCollected',
    ]);
    const positions = written.map((resolved) => resolved.event!.position!);
    for (const position of positions) expect(position.commit).toBe(position.prepare);
    for (let i = 1; i < positions.length; i++) expect(positions[i].commit).toBeGreaterThan(positions[i - 1].commit);
    expect(written.map((resolved) => resolved.commitPosition)).toEqual(positions.map((position) => position.commit));
  });

  it('reads backwards from the end', async () => {
    const { client } = fixture();
    const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 3 }));
    expect(types(backwards)).toEqual(['$statsCollected', 'CustomerMerged', 'OrderPlaced']);
  });

  it('reads forwards from a position inclusively and backwards from it exclusively', async () => {
    const { client } = fixture();
    const third = written[2].event!.position!;
    const forwards = await collect(client.readAll({ direction: FORWARDS, fromPosition: third, maxCount: 2 }));
    expect(types(forwards)).toEqual(['OrderPlaced', 'CustomerMerged']);
    const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: third }));
    expect(types(backwards)).toEqual(['EmailChanged', 'CustomerRegistered']);
  });

  it('reads nothing forwards from the end or backwards from the start', async () => {
    const { client } = fixture();
    expect(await collect(client.readAll({ fromPosition: END }))).toEqual([]);
    expect(await collect(client.readAll({ direction: BACKWARDS, fromPosition: START }))).toEqual([]);
  });

  describe('server-side filters', () => {
    it('filters on stream name prefixes', async () => {
      const events = await filteredReadAll(fixture().emulator.port, { on: 'stream', prefixes: ['order-', 'nope'] });
      expect(events.map((event) => event.streamId)).toEqual([orders]);
    });

    it('filters on event type prefixes and regex, and can exclude system events', async () => {
      const { port } = fixture().emulator;
      const byPrefix = await filteredReadAll(port, { on: 'type', prefixes: ['Customer'] });
      expect(byPrefix.map((event) => event.type)).toEqual(['CustomerRegistered', 'CustomerMerged']);
      const byRegex = await filteredReadAll(port, { on: 'type', regex: 'Changed$|Placed$' });
      expect(byRegex.map((event) => event.type)).toEqual(['EmailChanged', 'OrderPlaced']);
      const userOnly = await filteredReadAll(port, { on: 'type', regex: '^[^$].*' });
      expect(userOnly.map((event) => event.type)).not.toContain('$statsCollected');
      expect(userOnly).toHaveLength(4);
    });

    it('applies maxCount to matching events, in both directions', async () => {
      const { port } = fixture().emulator;
      const first = await filteredReadAll(port, { on: 'stream', prefixes: ['customer-'] }, { maxCount: 2 });
      expect(first.map((event) => event.type)).toEqual(['CustomerRegistered', 'EmailChanged']);
      const customers = { on: 'stream', prefixes: ['customer-'] } as const;
      const last = await filteredReadAll(port, customers, { maxCount: 1, backwards: true });
      expect(last.map((event) => event.type)).toEqual(['CustomerMerged']);
    });
  });

  it('streams long reads through gRPC back-pressure without losing or reordering events', async () => {
    const { client } = fixture();
    const stream = uniqueStream('long');
    for (let batch = 0; batch < 20; batch++) {
      await client.appendToStream(
        stream,
        Array.from({ length: 100 }, (_, i) => testEvent('Numbered', { n: batch * 100 + i, pad: 'x'.repeat(200) })),
      );
    }
    const read = await collect(client.readStream(stream));
    expect(read.map((resolved) => (resolved.event!.data as { n: number }).n)).toEqual(
      Array.from({ length: 2000 }, (_, n) => n),
    );
    const all = await collect(client.readAll({ fromPosition: START }));
    expect(all.filter((resolved) => resolved.event!.streamId === stream)).toHaveLength(2000);
  });
});
