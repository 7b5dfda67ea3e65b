/**
 * Streams.Read: one RPC for four things, chosen by the request options:
 * finite reads of a stream or of $all (forwards or backwards, from start/end/a point, at most
 * `count` events) and subscriptions to a stream or to $all (see subscription.ts).
 *
 * Start-point semantics follow the server:
 * - stream read forwards from revision r: r, r+1, ...; backwards: r, r-1, ... (r past the end
 *   starts at the last event); a missing stream answers StreamNotFound.
 * - $all read forwards from position p: events at or after p; backwards: events before p.
 * - subscriptions start *after* the given revision/position (exclusive), from the first event
 *   for START, and with only new events for END.
 */
import type { handleServerStreamingCall } from '@grpc/grpc-js';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EventStore } from './event-store';
import type { Faults } from './faults';
import { filterOf, type EventFilter } from './filters';
import { eventResponse, streamNameOf, streamNotFoundResponse } from './grpc-codec';
import { badRequest } from './grpc-errors';
import { ResponseWriter } from './response-writer';
import { CatchUpSubscription, type SubscriptionSource } from './subscription';
import type { RecordedEvent } from './types';

interface ReadPlan {
  readonly events: readonly RecordedEvent[];
  /** Index of the first event to look at, then moving by `step`. */
  readonly startIndex: number;
  readonly step: 1 | -1;
  readonly filter: EventFilter | undefined;
}

export function createReadHandler(store: EventStore, faults: Faults): handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    const writer = new ResponseWriter(call);
    serveRead(store, faults, call.request, writer).catch((error: unknown) => writer.fail(error));
  };
}

async function serveRead(store: EventStore, faults: Faults, request: ReadReq, writer: ResponseWriter): Promise<void> {
  const options = request.getOptions();
  if (!options) throw badRequest('Read request without options.');
  const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
  const filter = options.hasAll() ? filterOf(options) : undefined;

  if (options.hasSubscription()) {
    const source = subscriptionSource(store, options);
    await new CatchUpSubscription(store, writer, source, filter, structuredIds, faults).start();
    return;
  }

  const forwards = options.getReadDirection() !== ReadReq.Options.ReadDirection.BACKWARDS;
  const step = forwards ? 1 : -1;
  let plan: ReadPlan;
  if (options.hasStream()) {
    const streamOptions = options.getStream()!;
    const streamName = streamNameOf(streamOptions.getStreamIdentifier());
    const events = store.stream(streamName);
    if (!events) {
      await writer.write(streamNotFoundResponse(streamName));
      return writer.end();
    }
    plan = { events, startIndex: streamStartIndex(streamOptions, events.length, forwards), step, filter };
  } else if (options.hasAll()) {
    plan = { events: store.all(), startIndex: allStartIndex(store, options.getAll()!, forwards), step, filter };
  } else {
    throw badRequest('Read request must name a stream or $all.');
  }

  await sendEvents(plan, BigInt(options.getCount() || '0'), writer, structuredIds);
  writer.end();
}

async function sendEvents(plan: ReadPlan, maxCount: bigint, writer: ResponseWriter, structuredIds: boolean) {
  // Fix the end now: a finite read is a snapshot, later appends are not part of it.
  const end = plan.step === 1 ? plan.events.length : -1;
  let sent = 0n;
  for (let index = plan.startIndex; index !== end && sent < maxCount; index += plan.step) {
    const event = plan.events[index];
    if (plan.filter && !plan.filter.matches(event)) continue;
    if (!(await writer.write(eventResponse(event, structuredIds)))) return;
    sent++;
  }
}

function streamStartIndex(options: ReadReq.Options.StreamOptions, length: number, forwards: boolean): number {
  if (forwards) {
    if (options.hasStart()) return 0;
    if (options.hasEnd()) return length;
    return clampedIndex(BigInt(options.getRevision()), length);
  }
  if (options.hasStart()) return Math.min(0, length - 1);
  if (options.hasEnd()) return length - 1;
  return Math.min(clampedIndex(BigInt(options.getRevision()), length), length - 1);
}

function allStartIndex(store: EventStore, options: ReadReq.Options.AllOptions, forwards: boolean): number {
  const length = store.all().length;
  if (options.hasStart()) return forwards ? 0 : -1;
  if (options.hasEnd()) return forwards ? length : length - 1;
  const atOrAfter = store.indexAtOrAfter(BigInt(options.getPosition()!.getCommitPosition()));
  return forwards ? atOrAfter : atOrAfter - 1;
}

function subscriptionSource(store: EventStore, options: ReadReq.Options): SubscriptionSource {
  if (options.hasStream()) {
    const streamOptions = options.getStream()!;
    const streamId = streamNameOf(streamOptions.getStreamIdentifier());
    const length = store.streamOrEmpty(streamId).length;
    const startIndex = streamOptions.hasStart()
      ? 0
      : streamOptions.hasEnd()
        ? length
        : clampedIndex(BigInt(streamOptions.getRevision()) + 1n, Number.MAX_SAFE_INTEGER);
    return { kind: 'stream', streamId, startIndex };
  }
  if (options.hasAll()) {
    const allOptions = options.getAll()!;
    const startIndex = allOptions.hasStart()
      ? 0
      : allOptions.hasEnd()
        ? store.all().length
        : store.indexAtOrAfter(BigInt(allOptions.getPosition()!.getCommitPosition()) + 1n);
    return { kind: 'all', startIndex };
  }
  throw badRequest('Subscription must name a stream or $all.');
}

/** A 64-bit revision as an array index, capped at `limit` (revisions past the end read nothing). */
function clampedIndex(revision: bigint, limit: number): number {
  return revision > BigInt(limit) ? limit : Number(revision);
}
