/**
 * The part of the EventStoreDB client the adapter uses, and how it is created. The store takes
 * this narrow type so tests can hand it a fake; production code gets the real client from
 * `createEsdbClient`.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { assertEsdbConnectionString, InvalidEsdbConnectionStringError } from './esdb-connection-string';

export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

/**
 * Validates the connection string, then builds the client. The client connects lazily (on the
 * first call), so an unreachable server shows up as EventStoreUnavailableError from that call.
 */
export function createEsdbClient(connectionString: string): EventStoreDBClient {
  const checked = assertEsdbConnectionString(connectionString);
  try {
    return EventStoreDBClient.connectionString(checked);
  } catch (error) {
    // The client's parser or option checks (e.g. a missing tlsCAFile) refused what passed ours.
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidEsdbConnectionStringError(checked, reason, error);
  }
}

/** Drains a finite read (a stream or a page of $all); a failed read rejects. */
export async function readToArray<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
