/**
 * ServerFeatures.GetSupportedMethods: the client asks this once per connection to decide which
 * RPCs it may use. Advertising only Streams.Read and Streams.Append makes the client append
 * through Append (it prefers BatchAppend when advertised, which the emulator does not implement).
 */
import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

const STREAMS_SERVICE = 'event_store.client.streams.streams';

/** Reported as the server version; informational only (the client just logs it). */
export const EMULATOR_VERSION = '0.0.0-emulator';

export function createServerFeaturesHandler(): handleUnaryCall<Empty, SupportedMethods> {
  return (_call, callback) => {
    const methods = ['read', 'append'].map((name) =>
      new SupportedMethod().setServiceName(STREAMS_SERVICE).setMethodName(name),
    );
    callback(null, new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(EMULATOR_VERSION));
  };
}
