/**
 * Shared setup for the emulator's own tests: a fresh emulator per test file on a random port,
 * driven by the official client, plus small helpers for reading streams and subscriptions.
 */
import { EventStoreDBClient, jsonEvent, type ResolvedEvent } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { startEsdbEmulator, type RunningEsdbEmulator } from '../index';

export interface EmulatorFixture {
  readonly emulator: RunningEsdbEmulator;
  readonly client: EventStoreDBClient;
}

/** Starts an emulator before the file's tests and stops it (and the client) afterwards. */
export function useEmulator(): () => EmulatorFixture {
  let fixture: EmulatorFixture | undefined;
  beforeAll(async () => {
    const emulator = await startEsdbEmulator({ port: 0 });
    fixture = { emulator, client: EventStoreDBClient.connectionString(emulator.url) };
  });
  afterAll(async () => {
    await fixture?.client.dispose();
    await fixture?.emulator.stop();
  });
  return () => {
    if (!fixture) throw new Error('emulator not started');
    return fixture;
  };
}

/** A stream name no other test uses. */
export function uniqueStream(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

export function testEvent(type: string, data: Record<string, unknown> = {}, metadata?: Record<string, unknown>) {
  return jsonEvent({ type, data, metadata });
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/**
 * Reads `count` events from a subscription (or fails after `timeoutMs`), without ending it.
 */
export function take(
  subscription: AsyncIterable<ResolvedEvent> & NodeJS.EventEmitter,
  count: number,
  timeoutMs = 5000,
): Promise<ResolvedEvent[]> {
  return new Promise<ResolvedEvent[]>((resolve, reject) => {
    const received: ResolvedEvent[] = [];
    if (count === 0) return resolve(received);
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${received.length} of ${count} events`)),
      timeoutMs,
    );
    const onData = (event: ResolvedEvent) => {
      received.push(event);
      if (received.length === count) finish();
    };
    const finish = (error?: Error) => {
      clearTimeout(timer);
      subscription.removeListener('data', onData);
      subscription.removeListener('error', finish);
      if (error) reject(error);
      else resolve(received);
    };
    subscription.on('data', onData);
    subscription.on('error', finish);
  });
}

/** Resolves when the subscription emits `eventName` (e.g. "caughtUp"), or fails after `timeoutMs`. */
export function once(emitter: NodeJS.EventEmitter, eventName: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${eventName}" within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(eventName, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function types(events: readonly ResolvedEvent[]): string[] {
  return events.map((resolved) => resolved.event!.type);
}
