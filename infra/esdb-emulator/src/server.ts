/**
 * Starts the emulator: a gRPC server (insecure, loopback) exposing the client's own generated
 * service definitions, backed by a fresh in-memory EventStore.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { createAppendHandler, DEFAULT_MAX_APPEND_SIZE } from './append-handler';
import { EventStore } from './event-store';
import { createReadHandler } from './read-handler';
import { createServerFeaturesHandler } from './server-features';

export interface EsdbEmulatorOptions {
  /** TCP port; 0 or absent picks a free one. */
  readonly port?: number;
  /** Interface to listen on. Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Largest total payload (data + metadata) of one append, in bytes. Defaults to 1 MiB. */
  readonly maxAppendSize?: number;
}

export interface RunningEsdbEmulator {
  /** Connection string for EventStoreDBClient.connectionString(). */
  readonly url: string;
  readonly port: number;
  /** Closes every connection (open subscriptions end with an error on the client) and frees the port. */
  stop(): Promise<void>;
}

export async function startEsdbEmulator(options: EsdbEmulatorOptions = {}): Promise<RunningEsdbEmulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new EventStore();
  // The client allows reads of up to 17 MiB per message; accept as much on the way in.
  const server = new Server({ 'grpc.max_receive_message_length': 17 * 1024 * 1024 });
  // Methods left out (Delete, Tombstone, BatchAppend, ...) answer UNIMPLEMENTED.
  server.addService(StreamsService, {
    read: createReadHandler(store),
    append: createAppendHandler(store, options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE),
  });
  server.addService(ServerFeaturesService, { getSupportedMethods: createServerFeaturesHandler() });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  let stopped: Promise<void> | undefined;
  return {
    url: `esdb://${host}:${port}?tls=false`,
    port,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        // Subscriptions never finish on their own, so a graceful tryShutdown would wait forever.
        server.forceShutdown();
        resolve();
      })),
  };
}
