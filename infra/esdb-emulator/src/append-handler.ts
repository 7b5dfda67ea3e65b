/**
 * Streams.Append: a client stream whose first message carries the options (stream name and
 * expected revision) and whose following messages carry one proposed event each. The answer is
 * a single AppendResp: either Success or WrongExpectedVersion (a normal response, not a gRPC
 * error, exactly as the server does; the client turns it into WrongExpectedVersionError).
 */
import type { handleClientStreamingCall, ServerErrorResponse } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { EventStore } from './event-store';
import type { Faults } from './faults';
import { streamNameOf, uuidToString } from './grpc-codec';
import { badRequest, maximumAppendSizeExceeded, requiredMetadataPropertyMissing } from './grpc-errors';
import type { AppendResult, ExpectedRevision, ProposedEvent } from './types';

/** The server's default limit on the total payload of one append (1 MiB). */
export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

export function createAppendHandler(
  store: EventStore,
  faults: Faults,
  maxAppendSize = DEFAULT_MAX_APPEND_SIZE,
): handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    let size = 0;
    let failure: ServerErrorResponse | undefined;

    call.on('data', (request: AppendReq) => {
      if (failure) return;
      if (request.hasOptions()) {
        options = request.getOptions();
        return;
      }
      const message = request.getProposedMessage();
      if (!options || !message) {
        failure = badRequest('The first append message must carry the options.');
        return;
      }
      const decoded = decodeProposedMessage(message);
      if (decoded instanceof Error) {
        failure = decoded;
        return;
      }
      size += decoded.data.length + decoded.customMetadata.length;
      if (size > maxAppendSize) failure = maximumAppendSizeExceeded(maxAppendSize);
      proposed.push(decoded);
    });

    call.on('end', () => {
      if (failure) return callback(failure);
      if (!options) return callback(badRequest('Append request without options.'));
      const streamName = streamNameOf(options.getStreamIdentifier());
      if (streamName === '') return callback(badRequest('Stream name must not be empty.'));
      const expected = expectedRevisionOf(options);
      const fault = faults.nextAppend();
      const answer = () => {
        if (fault.refusal && !fault.refusal.written) return callback(fault.refusal.error);
        const result = store.append(streamName, expected, proposed);
        if (fault.refusal) return callback(fault.refusal.error);
        callback(null, appendResponse(result));
      };
      if (fault.delayMs > 0) setTimeout(answer, fault.delayMs);
      else answer();
    });

    // The client went away mid-request: nothing was written and nobody is waiting for an answer.
    call.on('error', () => undefined);
  };
}

function decodeProposedMessage(message: AppendReq.ProposedMessage): ProposedEvent | ServerErrorResponse {
  const id = uuidToString(message.getId());
  if (!id) return badRequest('Event id must be a UUID.');
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) return requiredMetadataPropertyMissing('type');
  const contentType = metadata.get('content-type');
  if (contentType === undefined) return requiredMetadataPropertyMissing('content-type');
  return {
    id,
    type,
    contentType,
    data: Uint8Array.from(message.getData_asU8()),
    customMetadata: Uint8Array.from(message.getCustomMetadata_asU8()),
  };
}

function expectedRevisionOf(options: AppendReq.Options): ExpectedRevision {
  if (options.hasRevision()) return { kind: 'exact', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

function appendResponse(result: AppendResult): AppendResp {
  if (result.ok) {
    const success = new AppendResp.Success();
    if (result.currentRevision === undefined) success.setNoStream(new Empty());
    else success.setCurrentRevision(result.currentRevision.toString());
    if (result.position === undefined) success.setNoPosition(new Empty());
    else
      success.setPosition(
        new AppendResp.Position()
          .setCommitPosition(result.position.toString())
          .setPreparePosition(result.position.toString()),
      );
    return new AppendResp().setSuccess(success);
  }

  const wrong = new AppendResp.WrongExpectedVersion();
  if (result.currentRevision === undefined) wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(result.currentRevision.toString());
  const expected = result.expected;
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty());
      break;
    case 'exact':
      wrong.setExpectedRevision(expected.revision.toString());
      break;
  }
  return new AppendResp().setWrongExpectedVersion(wrong);
}
