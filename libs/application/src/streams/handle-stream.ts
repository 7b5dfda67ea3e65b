import { LogPosition, WrongExpectedRevisionError } from '../ports/event-store.port';
import { CURRENT_SCHEMA_VERSION } from './event-codec';
import { eventId } from './event-ids';
import { FoldedStream, FoldedStreams } from './folded-streams';

/**
 * What a decision on a stream comes to: events to append (with, for events of keyed requests,
 * the seed their ids derive from), or the place where this very request was applied before.
 */
export type StreamDecision<E> = { events: E[]; idSeeds?: ReadonlyArray<string | undefined> } | { replayOf: LogPosition | null };

export interface HandleStreamOptions<S> {
  /** The tenant, and the request or message that caused the events. */
  metadata: { tenant: string; correlation_id?: string };
  /**
   * The stream as the caller loaded it a moment ago: the first decision is made on it rather than
   * on a second catch-up read (the append's revision check still catches any write in between).
   */
  loaded?: FoldedStream<S>;
}

export interface StreamOutcome<S> {
  /** The stream after the command, folded. */
  folded: FoldedStream<S>;
  /** Where the command's events landed; for a no-op the stream's last position; for a replay the first attempt's. */
  position: LogPosition | null;
  /** True when events were appended now. */
  appended: boolean;
  /** True when the decision found the same request applied before. */
  replayed: boolean;
}

export const MAX_ATTEMPTS = 40;

/** A writer kept losing the race for one stream; nothing of this command was written. */
export class StreamContentionError extends Error {
  constructor(readonly streamId: string) {
    super(`Too many concurrent writes to ${streamId}`);
    this.name = 'StreamContentionError';
  }
}

/**
 * The one way a command reaches a stream: load (catch up) → decide on the folded state → append
 * with the revision decided on → on a concurrent write, load again and decide again, in line
 * behind this process's other writers that lost a race for the stream. Domain refusals thrown by
 * `decide` pass through untouched; nothing is appended for them.
 */
export async function handleStream<S, E extends { type: string; data: unknown }>(
  streams: FoldedStreams<S>,
  streamId: string,
  /** May read more of the log (asynchronously) to decide; it is called again on fresh state after a conflict. */
  decide: (folded: FoldedStream<S>) => StreamDecision<E> | Promise<StreamDecision<E>>,
  options: HandleStreamOptions<S>,
): Promise<StreamOutcome<S>> {
  const loaded = options.loaded?.streamId === streamId ? options.loaded : await streams.load(streamId);
  const first = await attempt(streams, loaded, decide, options);
  if (first !== LOST_RACE) return first;
  return streams.retryInLine(streamId, async () => {
    for (let retry = 1; retry < MAX_ATTEMPTS; retry++) {
      const outcome = await attempt(streams, await streams.load(streamId), decide, options);
      if (outcome !== LOST_RACE) return outcome;
      await backoff(retry);
    }
    throw new StreamContentionError(streamId);
  });
}

const LOST_RACE = Symbol('lost the race for the stream');

/** One decision on the folded stream and its append; `LOST_RACE` when someone wrote in between. */
async function attempt<S, E extends { type: string; data: unknown }>(
  streams: FoldedStreams<S>,
  folded: FoldedStream<S>,
  decide: (folded: FoldedStream<S>) => StreamDecision<E> | Promise<StreamDecision<E>>,
  options: HandleStreamOptions<S>,
): Promise<StreamOutcome<S> | typeof LOST_RACE> {
  const decision = await decide(folded);
  if ('replayOf' in decision) return { folded, position: decision.replayOf, appended: false, replayed: true };
  if (decision.events.length === 0) return { folded, position: folded.lastPosition, appended: false, replayed: false };
  const seeds = decision.idSeeds ?? [];
  const ids = decision.events.map((_, i) => eventId(seeds[i]));
  const encoded = await streams.encode(folded.streamId, decision.events);
  const events = encoded.map((event, i) => ({
    id: ids[i],
    type: event.type,
    data: event.data,
    metadata: { ...options.metadata, schema_version: CURRENT_SCHEMA_VERSION },
  }));
  try {
    const { folded: after, result } = await streams.append(folded, events, { mayBeStoredAlready: seeds.some((seed) => seed !== undefined) });
    return { folded: after, position: result.position, appended: true, replayed: false };
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    return LOST_RACE;
  }
}

/** Jittered, so writers that collided do not collide again in lockstep. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.min(50, attempt * 2) * Math.random();
  return ms < 1 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
