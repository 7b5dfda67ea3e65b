/**
 * Server-side filters of $all reads and subscriptions (ReadReq.Options.FilterOptions).
 *
 * A filter looks at either the stream name or the event type. Like the server, prefixes win
 * when both prefixes and a regex are given; a regex matches anywhere unless anchored.
 * The checkpoint interval is `checkpointIntervalMultiplier * maxSearchWindow`, where a missing
 * search window counts as the server's read batch size (32).
 */
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { badRequest } from './grpc-errors';
import type { RecordedEvent } from './types';

const DEFAULT_SEARCH_WINDOW = 32;

export interface EventFilter {
  matches(event: RecordedEvent): boolean;
  /** Number of considered (scanned) events between two checkpoints of a subscription. */
  readonly checkpointInterval: number;
}

/** The filter of a read request, or undefined when it asks for no filter. Throws a gRPC error. */
export function filterOf(options: ReadReq.Options): EventFilter | undefined {
  const filter = options.getFilter();
  if (!options.hasFilter() || !filter) return undefined;

  const onStreamName = filter.hasStreamIdentifier();
  const expression = onStreamName ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw badRequest('A filter needs a stream name or an event type expression.');

  const multiplier = filter.getCheckpointintervalmultiplier();
  if (multiplier <= 0) throw badRequest('checkpointIntervalMultiplier must be greater than 0.');
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  if (window <= 0) throw badRequest('maxSearchWindow must be greater than 0.');

  const test = textMatcher(expression.getPrefixList(), expression.getRegex());
  const field = onStreamName ? (event: RecordedEvent) => event.streamId : (event: RecordedEvent) => event.type;
  return { matches: (event) => test(field(event)), checkpointInterval: multiplier * window };
}

function textMatcher(prefixes: readonly string[], regex: string): (text: string) => boolean {
  if (prefixes.length > 0) return (text) => prefixes.some((prefix) => text.startsWith(prefix));
  if (regex === '') return () => true;
  let pattern: RegExp;
  try {
    pattern = new RegExp(regex);
  } catch {
    throw badRequest(`Invalid filter regex: ${regex}`);
  }
  return (text) => pattern.test(text);
}
