import { LogPosition } from './event-store.port';

/**
 * Where a log follower that writes to the log itself (the unifier) keeps how far it got: outside
 * the log, so that recording progress never moves the log's head.
 */
export interface CheckpointStore {
  load(name: string): Promise<LogPosition | null>;
  /**
   * Records `position`. With a fencing token (the writer's lease), a save made under an older
   * token than the last one recorded is refused with CheckpointFencedError.
   */
  save(name: string, position: LogPosition, fencingToken?: number): Promise<void>;
}

export const CHECKPOINT_STORE = Symbol('CheckpointStore');

/** A newer holder of the same role recorded its checkpoint: this writer must stop. */
export class CheckpointFencedError extends Error {
  constructor(readonly checkpointName: string) {
    super(`Checkpoint ${checkpointName} belongs to a newer holder`);
    this.name = 'CheckpointFencedError';
  }
}
