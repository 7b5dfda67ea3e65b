/**
 * Starts the emulator: a gRPC server (insecure, loopback) exposing the client's own generated
 * service definitions, backed by a fresh in-memory EventStore.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { createAppendHandler, DEFAULT_MAX_APPEND_SIZE } from './append-handler';
import { startControlServer } from './control';
import { Faults } from './faults';
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
  /** Serve the fault controls over HTTP on this port (0: any free one). Absent: no control server. */
  readonly controlPort?: number;
}

export interface RunningEsdbEmulator {
  /** Connection string for EventStoreDBClient.connectionString(). */
  readonly url: string;
  readonly port: number;
  /** Test-only faults: drop subscriptions, refuse or delay appends (see faults.ts). */
  readonly faults: Faults;
  /** The fault controls over HTTP, when `controlPort` was given (see control.ts). */
  readonly controlUrl?: string;
  /** Closes every connection (open subscriptions end with an error on the client) and frees the port. */
  stop(): Promise<void>;
}

export async function startEsdbEmulator(options: EsdbEmulatorOptions = {}): Promise<RunningEsdbEmulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new EventStore();
  const faults = new Faults();
  // The client allows reads of up to 17 MiB per message; accept as much on the way in.
  const server = new Server({ 'grpc.max_receive_message_length': 17 * 1024 * 1024 });
  // Methods left out (Delete, Tombstone, BatchAppend, ...) answer UNIMPLEMENTED.
  server.addService(StreamsService, {
    read: createReadHandler(store, faults),
    append: createAppendHandler(store, faults, options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE),
  });
  server.addService(ServerFeaturesService, { getSupportedMethods: createServerFeaturesHandler() });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  const control = options.controlPort === undefined ? undefined : await startControlServer(faults, host, options.controlPort);
  let stopped: Promise<void> | undefined;
  return {
    url: `esdb://${host}:${port}?tls=false`,
    port,
    faults,
    controlUrl: control?.url,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        // Subscriptions never finish on their own, so a graceful tryShutdown would wait forever.
        server.forceShutdown();
        if (control) control.server.close(() => resolve());
        else resolve();
      })),
  };
}
