import { EventStore, LogPosition } from '../ports/event-store.port';
import { ProjectorStatus } from '../projection/profile-projector';
import { lowestCheckpoint } from '../processing/partitions';
import { DeadLetter } from './dead-letters.port';
import { GenerationsState, ReadModelGenerations } from './generations.port';

/** Counting the lag further than this would cost a long read for a number nobody needs exactly. */
export const LAG_CAP = 10_000;

export interface ReadModelStatus {
  generations: GenerationsState;
  /** The active generation's checkpoint: the lowest of its partitions'. */
  checkpoint: LogPosition | null;
  /** Partitions of the projection, each with its own checkpoint. */
  partitions: number;
  head: LogPosition | null;
  /** Events in the log after the checkpoint (at most LAG_CAP; `lag_capped` then). */
  lag: number;
  lag_capped: boolean;
  /** Events folded per second (the in-process projector's own figure, or measured over a sample). */
  events_per_second: number | null;
  last_error: string | null;
  dead_letters: { count: number; last: DeadLetter | null };
  /** The generation being built, and how far it got. */
  building: { generation: string; checkpoint: LogPosition | null } | null;
  projector: ProjectorStatus | null;
}

/** Events in the log strictly after `after` and at or before `upTo`, counted up to `cap`. */
export async function countEvents(store: EventStore, after: LogPosition | null, upTo: LogPosition | null, cap = LAG_CAP): Promise<number> {
  if (upTo === null || (after !== null && after >= upTo)) return 0;
  const events = await store.readAll({ after: after ?? undefined, maxCount: cap });
  let count = 0;
  for (const event of events) if (event.position <= upTo) count += 1;
  return count;
}

export interface StatusOptions {
  store: EventStore;
  generations: ReadModelGenerations;
  checkpointName: string;
  /** The live projection's partition count (default 1). */
  partitions?: number;
  /** The projector of this process, when it runs one: its own rate and last error are used. */
  projector?: ProjectorStatus;
  /** Without a projector in this process, the rate is measured by watching the checkpoint this long. */
  sampleMs?: number;
}

/** Checkpoint, head of the log, lag, throughput and errors of the live projection. */
export async function readModelStatus(options: StatusOptions): Promise<ReadModelStatus> {
  const { store, generations, checkpointName } = options;
  const state = await generations.state();
  const active = await generations.open(state.active);
  const partitions = options.partitions ?? 1;
  const checkpointOf = (readModel: { checkpoint(name: string): Promise<LogPosition | null> }) =>
    lowestCheckpoint((name) => readModel.checkpoint(name), checkpointName, partitions);
  let checkpoint = await checkpointOf(active.readModel);
  let rate: number | null = options.projector?.eventsPerSecond ?? null;
  if (!options.projector && (options.sampleMs ?? 0) > 0) {
    const first = checkpoint;
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, options.sampleMs));
    checkpoint = await checkpointOf(active.readModel);
    const seconds = (Date.now() - started) / 1000;
    rate = Math.round((await countEvents(store, first, checkpoint)) / seconds * 10) / 10;
  }
  const head = await store.headPosition();
  const lag = await countEvents(store, checkpoint, head);
  const deadLetters = { count: await active.deadLetters.count(), last: await active.deadLetters.last() };
  let building: ReadModelStatus['building'] = null;
  if (state.building !== null) {
    const handle = await generations.open(state.building);
    building = { generation: state.building, checkpoint: await checkpointOf(handle.readModel) };
  }
  const lastError =
    options.projector?.lastError ??
    (deadLetters.last ? `${deadLetters.last.stream}@${deadLetters.last.revision}: ${deadLetters.last.error}` : null);
  return {
    generations: state,
    checkpoint,
    partitions,
    head,
    lag,
    lag_capped: lag >= LAG_CAP,
    events_per_second: rate,
    last_error: lastError,
    dead_letters: deadLetters,
    building,
    projector: options.projector ?? null,
  };
}
