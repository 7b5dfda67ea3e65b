/**
 * Filtered $all reads through the generated gRPC client. The official client (6.2.1) has no
 * filter option on readAll, but the protocol does and other clients use it, so the emulator's
 * tests exercise it directly.
 */
import { credentials } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';

export interface RawFilter {
  readonly on: 'stream' | 'type';
  readonly prefixes?: readonly string[];
  readonly regex?: string;
}

export interface RawEvent {
  readonly streamId: string;
  readonly type: string;
  readonly position: bigint;
}

export async function filteredReadAll(
  port: number,
  filter: RawFilter,
  options: { backwards?: boolean; maxCount?: number } = {},
): Promise<RawEvent[]> {
  const expression = new ReadReq.Options.FilterOptions.Expression()
    .setPrefixList([...(filter.prefixes ?? [])])
    .setRegex(filter.regex ?? '');
  const filterOptions = new ReadReq.Options.FilterOptions().setCount(new Empty()).setCheckpointintervalmultiplier(1);
  if (filter.on === 'stream') filterOptions.setStreamIdentifier(expression);
  else filterOptions.setEventType(expression);

  const { FORWARDS, BACKWARDS } = ReadReq.Options.ReadDirection;
  const all = new ReadReq.Options.AllOptions();
  if (options.backwards) all.setEnd(new Empty());
  else all.setStart(new Empty());
  const request = new ReadReq().setOptions(
    new ReadReq.Options()
      .setAll(all)
      .setReadDirection(options.backwards ? BACKWARDS : FORWARDS)
      .setCount(String(options.maxCount ?? Number.MAX_SAFE_INTEGER))
      .setFilter(filterOptions)
      .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty())),
  );

  const client = new StreamsClient(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    const events: RawEvent[] = [];
    for await (const response of client.read(request) as AsyncIterable<ReadResp>) {
      const recorded = response.getEvent()?.getEvent();
      if (!recorded) continue;
      events.push({
        streamId: Buffer.from(recorded.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8'),
        type: recorded.getMetadataMap().get('type')!,
        position: BigInt(recorded.getCommitPosition()),
      });
    }
    return events;
  } finally {
    client.close();
  }
}
