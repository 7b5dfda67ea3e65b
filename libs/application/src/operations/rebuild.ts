import { EventStore, LogPosition } from '../ports/event-store.port';
import { PoisonPolicy, ProfileProjector } from '../projection/profile-projector';
import { lowestCheckpoint } from '../processing/partitions';
import { ProcessorLeases } from '../processing/projection-processor';
import { digestReadModel, ReadModelDigest } from './digest';
import { ReadModelGenerations } from './generations.port';

export interface RebuildOptions {
  store: EventStore;
  generations: ReadModelGenerations;
  /** The checkpoint name the live projector uses; every generation keeps its own under it. */
  checkpointName: string;
  /** Events folded per read-model write. */
  batchSize?: number;
  /** The live projection's partition count: the new generation gets a checkpoint per partition. Default 1. */
  partitions?: number;
  /**
   * Leases of the new generation's partitions: the rebuild holds them all while it fills it (a
   * second rebuild of the same generation fails instead of writing alongside), and its fencing
   * tokens go with its checkpoints. Absent: nothing else writes the generation being built.
   */
  leases?: ProcessorLeases;
  onPoison?: PoisonPolicy;
  /** Throw away an interrupted build and start a new generation. */
  fresh?: boolean;
  /** Make the new generation active once it caught up (default). False leaves it built, unswitched. */
  switchOver?: boolean;
  /** Digest the new generation before switching. */
  digest?: boolean;
  onProgress?: (progress: RebuildProgress) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface RebuildProgress {
  generation: string;
  phase: 'catching-up' | 'digesting' | 'switching';
  /** The new generation's checkpoint. */
  position: LogPosition | null;
  head: LogPosition | null;
  /** Where this run started (the checkpoint of a resumed build). */
  startPosition: LogPosition | null;
  eventsProjected: number;
  elapsedSeconds: number;
  eventsPerSecond: number;
  /** Share of the way from the start position to the head (0..1), by log position. */
  fraction: number | null;
  etaSeconds: number | null;
}

export interface RebuildResult {
  generation: string;
  /** The generation that served before (still active when `switched` is false). */
  previous: string;
  resumed: boolean;
  switched: boolean;
  /** The new generation's checkpoint when it was switched to (or left). */
  position: LogPosition | null;
  startPosition: LogPosition | null;
  eventsProjected: number;
  seconds: number;
  /** Events folded per second of folding (a digest taken on the way does not count). */
  eventsPerSecond: number;
  deadLetters: number;
  digest?: ReadModelDigest;
}

/**
 * Rebuilds the unified-profile read model from the start of the log into a fresh generation while
 * the active one keeps serving; resumes an interrupted build from the generation's own checkpoints
 * (one per partition); once every partition of the new generation has caught up with the head,
 * makes it active (compare-and-set), so readers and the live projectors move over together.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const { store, generations } = options;
  const now = options.now ?? (() => new Date());
  const before = await generations.state();
  const { id, resumed } = await generations.beginBuild({ fresh: options.fresh ?? false });
  const handle = await generations.open(id);
  const projector = new ProfileProjector(store, handle.readModel, {
    name: options.checkpointName,
    generation: id,
    partitions: options.partitions ?? 1,
    leases: options.leases,
    batchSize: options.batchSize ?? 1000,
    idleFlushMs: 0,
    deadLetters: handle.deadLetters,
    onPoison: options.onPoison ?? 'skip',
    now,
  });
  const startPosition = await lowestCheckpoint((name) => handle.readModel.checkpoint(name), options.checkpointName, options.partitions ?? 1);
  const started = Date.now();
  const report = (phase: RebuildProgress['phase'], position: LogPosition | null, head: LogPosition | null, eventsProjected: number) => {
    const elapsedSeconds = (Date.now() - started) / 1000;
    const from = startPosition ?? 0;
    const span = head === null ? 0 : head - from;
    const done = (position ?? 0) - from;
    const fraction = head === null ? null : span <= 0 ? 1 : Math.min(1, Math.max(0, done / span));
    const etaSeconds = fraction === null || fraction <= 0 || elapsedSeconds <= 0 ? null : (elapsedSeconds / fraction) * (1 - fraction);
    options.onProgress?.({
      generation: id,
      phase,
      position,
      head,
      startPosition,
      eventsProjected,
      elapsedSeconds,
      eventsPerSecond: elapsedSeconds > 0 ? eventsProjected / elapsedSeconds : 0,
      fraction,
      etaSeconds,
    });
  };

  // Time spent folding, for the rate: a digest in between is not folding.
  let foldingMs = 0;
  const catchUp = async () => {
    const from = Date.now();
    try {
      return await projector.catchUp({
        signal: options.signal,
        onProgress: (p) => report('catching-up', p.position, p.head, p.eventsProjected),
      });
    } finally {
      foldingMs += Date.now() - from;
    }
  };
  let position = await catchUp();

  let digest: ReadModelDigest | undefined;
  if (options.digest) {
    report('digesting', position, position, projector.getStatus().eventsProjected);
    digest = await digestReadModel(handle.readModel);
  }
  const switchOver = options.switchOver ?? true;
  if (switchOver) {
    // One more pass picks up what was appended meanwhile, so the switch finds the generation current.
    position = await catchUp();
    report('switching', position, position, projector.getStatus().eventsProjected);
    await generations.activate(id, before.active, now().toISOString());
  }
  const seconds = (Date.now() - started) / 1000;
  const status = projector.getStatus();
  return {
    generation: id,
    previous: before.active,
    resumed,
    switched: switchOver,
    position,
    startPosition,
    eventsProjected: status.eventsProjected,
    seconds,
    eventsPerSecond: foldingMs > 0 ? (status.eventsProjected * 1000) / foldingMs : 0,
    deadLetters: status.deadLetters,
    ...(digest ? { digest } : {}),
  };
}
