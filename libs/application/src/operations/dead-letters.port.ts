import { LogPosition } from '../ports/event-store.port';

/** An event a projector could not fold, set aside with the reason and where it sits in the log. */
export interface DeadLetter {
  /** The projector (checkpoint name) that met it. */
  projector: string;
  event_id: string;
  stream: string;
  revision: number;
  position: LogPosition;
  type: string;
  error: string;
  /** When it was set aside (ISO 8601). */
  at: string;
}

/**
 * Where a projector puts the events it skips. One store per read-model generation: a rebuild
 * meets the same bad events again and records them in its own.
 */
export interface ProjectionDeadLetters {
  /** Idempotent by event id: the replay that follows a crash records an event once. */
  record(letter: DeadLetter): Promise<void>;
  count(): Promise<number>;
  /** In log order, strictly after `after`. */
  list(options: { after?: LogPosition; limit: number }): Promise<DeadLetter[]>;
  /** The one furthest along the log, or null. */
  last(): Promise<DeadLetter | null>;
}

export const PROJECTION_DEAD_LETTERS = Symbol('ProjectionDeadLetters');
