/**
 * gRPC errors shaped like the server's: the client maps the `exception` trailer to its typed
 * errors (StreamNotFoundError, MaxAppendSizeExceededError, ...), so the trailer names matter.
 */
import { Metadata, status, type ServerErrorResponse } from '@grpc/grpc-js';

export function grpcError(
  code: status,
  details: string,
  trailers: Record<string, string> = {},
): ServerErrorResponse {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export function badRequest(details: string): ServerErrorResponse {
  return grpcError(status.INVALID_ARGUMENT, details);
}

export function maximumAppendSizeExceeded(maxAppendSize: number): ServerErrorResponse {
  return grpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });
}

export function requiredMetadataPropertyMissing(property: string): ServerErrorResponse {
  return grpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });
}
