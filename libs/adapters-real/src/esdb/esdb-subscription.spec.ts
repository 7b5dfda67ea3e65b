import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  InvalidArgumentError,
  UnavailableError,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, type LogPosition, type RecordedEvent } from '@cds/application';
import { beforeDeadline, collectEvents, TIMED_OUT } from '@cds/contract-tests';
import { EsdbLogSubscription, type EsdbSubscriptionOptions, type SubscriptionHandle } from './esdb-subscription';

/**
 * A stand-in for the server side of $all subscriptions: a log, and subscriptions that deliver
 * it after their start position, then wait for appends, until the test fails or ends them.
 */
class FakeServer {
  readonly log: AllStreamRecordedEvent[] = [];
  readonly opened: FakeSubscription[] = [];
  /** Start positions of every subscription opened, in order. */
  readonly starts: Array<LogPosition | undefined> = [];
  /** Errors `open` throws, one per call, before subscriptions open again. */
  readonly refusals: unknown[] = [];
  private listeners: Array<() => void> = [];

  constructor(private readonly inclusive = false) {}

  append(streamId: string, type = 'Happened'): AllStreamRecordedEvent {
    const position = BigInt((this.log.length + 1) * 100);
    const event = {
      streamId,
      id: randomUUID(),
      isJson: true,
      revision: 0n,
      type,
      created: new Date(),
      data: {},
      metadata: { schema_version: 1, tenant: 't' },
      position: { commit: position, prepare: position },
    } as AllStreamRecordedEvent;
    this.log.push(event);
    this.changed();
    return event;
  }

  open(after: LogPosition | undefined): SubscriptionHandle {
    this.starts.push(after);
    if (this.refusals.length > 0) throw this.refusals.shift();
    const start = after === undefined ? 0 : this.log.findIndex((event) => Number(event.position.commit) > after);
    // A misbehaving server that repeats the event at the start position.
    const index = start === -1 ? this.log.length : this.inclusive && start > 0 ? start - 1 : start;
    const subscription = new FakeSubscription(this, index);
    this.opened.push(subscription);
    return subscription;
  }

  get current(): FakeSubscription {
    return this.opened[this.opened.length - 1];
  }

  whenChanged(): Promise<void> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  changed(): void {
    const listeners = this.listeners;
    this.listeners = [];
    listeners.forEach((listener) => listener());
  }
}

class FakeSubscription implements SubscriptionHandle {
  unsubscribed = false;
  private failure: unknown;
  private ended = false;

  constructor(
    private readonly server: FakeServer,
    private index: number,
  ) {}

  fail(error: unknown): void {
    this.failure = error;
    this.server.changed();
  }

  end(): void {
    this.ended = true;
    this.server.changed();
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }

  [Symbol.asyncIterator](): AsyncIterator<AllStreamResolvedEvent> {
    return { next: () => this.next() };
  }

  private async next(): Promise<IteratorResult<AllStreamResolvedEvent>> {
    for (;;) {
      // Like the real client after a cancel: a cancelled call never answers again.
      if (this.unsubscribed) return new Promise(() => undefined);
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return { done: true, value: undefined };
      if (this.index < this.server.log.length) {
        const event = this.server.log[this.index++];
        return { done: false, value: { event, commitPosition: event.position.commit } };
      }
      await this.server.whenChanged();
    }
  }
}

function subscribe(server: FakeServer, options: Partial<EsdbSubscriptionOptions> = {}): EsdbLogSubscription {
  return new EsdbLogSubscription({
    open: (after) => server.open(after),
    accept: () => true,
    resubscribe: { initialDelayMs: 1, maxDelayMs: 8 },
    ...options,
  });
}

const ids = (events: ReadonlyArray<{ id: string }>): string[] => events.map((event) => event.id);
const messages = () => {
  const lines: string[] = [];
  return { lines, logger: { warn: (line: string) => lines.push(`warn: ${line}`), log: (line: string) => lines.push(`log: ${line}`) } };
};

describe('EsdbLogSubscription', () => {
  let subscriptions: EsdbLogSubscription[];
  const track = (subscription: EsdbLogSubscription): EsdbLogSubscription => {
    subscriptions.push(subscription);
    return subscription;
  };

  beforeEach(() => {
    subscriptions = [];
  });

  afterEach(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  });

  it('resubscribes after the last event it received when the server drops it, without gaps or repeats', async () => {
    const server = new FakeServer();
    const written = [server.append('s-1'), server.append('s-2'), server.append('s-3')];
    const { lines, logger } = messages();
    const subscription = track(subscribe(server, { logger }));

    const before = await collectEvents(subscription, 2);
    server.current.fail(new UnavailableError());
    written.push(server.append('s-4'), server.append('s-5'));
    const after = await collectEvents(subscription, 3);

    expect(ids([...before, ...after])).toEqual(ids(written));
    expect(server.starts).toEqual([undefined, 200]);
    expect(server.opened[0].unsubscribed).toBe(true);
    expect(lines).toEqual([
      expect.stringMatching(/^warn: EventStoreDB subscription to \$all dropped \(.*\); resubscribing after position 200 in 1 ms \(attempt 1\)$/),
      'log: EventStoreDB subscription to $all resumed after 1 attempt(s), at position 300',
    ]);
  });

  it('also resubscribes when the server ends the call without an error', async () => {
    const server = new FakeServer();
    const written = [server.append('s-1')];
    const subscription = track(subscribe(server, { after: undefined }));
    await collectEvents(subscription, 1);
    server.current.end();
    written.push(server.append('s-2'));
    expect(ids(await collectEvents(subscription, 1))).toEqual(ids(written.slice(1)));
    expect(server.starts).toEqual([undefined, 100]);
  });

  it('starts from the given position and resumes from the last event received, even one the filter dropped', async () => {
    const server = new FakeServer();
    server.append('a-1');
    server.append('a-2', 'Wanted');
    server.append('a-3', 'Other');
    const subscription = track(subscribe(server, { after: 100, accept: (event) => event.type === 'Wanted' }));
    const [wanted] = await collectEvents(subscription, 1);
    expect(wanted.position).toBe(200);

    // Let the subscription read past the unwanted event before the drop.
    const pending = collectEvents(subscription, 1);
    await waitFor(() => subscription.position === 300);
    server.current.fail(new UnavailableError());
    const late = server.append('a-4', 'Wanted');
    expect(ids(await pending)).toEqual([late.id]);
    expect(server.starts).toEqual([100, 300]);
  });

  it('skips events at or before its position if a server sends them again', async () => {
    const server = new FakeServer(true);
    const written = [server.append('s-1'), server.append('s-2')];
    const subscription = track(subscribe(server));
    await collectEvents(subscription, 2);
    server.current.fail(new UnavailableError());
    written.push(server.append('s-3'));
    expect(ids(await collectEvents(subscription, 1))).toEqual([written[2].id]);
  });

  it('backs off exponentially up to the limit and logs only at attempts 1, 2, 4, 8, ...', async () => {
    const server = new FakeServer();
    server.refusals.push(...Array.from({ length: 9 }, () => new UnavailableError()));
    const written = server.append('s-1');
    const { lines, logger } = messages();
    const subscription = track(subscribe(server, { logger, resubscribe: { initialDelayMs: 1, maxDelayMs: 4 } }));

    expect(ids(await collectEvents(subscription, 1))).toEqual([written.id]);
    expect(server.starts).toHaveLength(10);
    expect(lines.map((line) => /in (\d+) ms \(attempt (\d+)\)|resumed after (\d+)/.exec(line)?.slice(1).filter(Boolean))).toEqual([
      ['1', '1'],
      ['2', '2'],
      ['4', '4'],
      ['4', '8'],
      ['9'],
    ]);
  });

  it('ends with the error when retrying cannot help', async () => {
    const server = new FakeServer();
    server.append('s-1');
    const subscription = track(subscribe(server));
    await collectEvents(subscription, 1);
    server.current.fail(new AccessDeniedError());
    await expect(subscription.next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(await subscription.next()).toEqual({ done: true, value: undefined });

    const other = track(subscribe(server));
    server.refusals.push(new InvalidArgumentError('bad filter'));
    await expect(other.next()).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(server.opened.every((opened) => opened.unsubscribed)).toBe(true);
  });

  it('ends a waiting reader when closed, also while it waits to resubscribe', async () => {
    const server = new FakeServer();
    const live = track(subscribe(server));
    const waiting = live.next();
    await waitFor(() => server.opened.length === 1);
    await live.close();
    expect(await beforeDeadline(waiting, Date.now() + 1000)).toEqual({ done: true, value: undefined });
    expect(server.current.unsubscribed).toBe(true);

    server.refusals.push(new UnavailableError());
    const backingOff = track(subscribe(server, { resubscribe: { initialDelayMs: 60_000, maxDelayMs: 60_000 } }));
    const stuck = backingOff.next();
    await waitFor(() => server.starts.length === 2);
    await backingOff.close();
    const result = await beforeDeadline(stuck, Date.now() + 1000);
    expect(result).not.toBe(TIMED_OUT);
    expect((result as IteratorResult<RecordedEvent>).done).toBe(true);
  });

  it('closes when a for-await loop breaks out', async () => {
    const server = new FakeServer();
    server.append('s-1');
    const closed: EsdbLogSubscription[] = [];
    const subscription = track(subscribe(server, { onClosed: (s) => closed.push(s) }));
    for await (const event of subscription) {
      expect(event.streamId).toBe('s-1');
      break;
    }
    expect(closed).toEqual([subscription]);
    expect(server.current.unsubscribed).toBe(true);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
