import { ProfileReadModel } from '../ports/read-model.port';
import { ProjectionDeadLetters } from './dead-letters.port';

/** The generation a deployment starts with (MongoDB: the `profiles` and `checkpoints` collections). */
export const DEFAULT_GENERATION = 'default';

/**
 * Which read-model generation serves. A rebuild fills a fresh generation from the start of the
 * log while the active one keeps serving, then makes it active by compare-and-set.
 */
export interface GenerationsState {
  /** The generation readers and the live projector use. */
  active: string;
  /** A rebuild under way, or interrupted and waiting to be resumed. */
  building: string | null;
  /** The generation that served before the last switch (kept until the next rebuild starts). */
  previous: string | null;
  /** When `active` last changed (ISO 8601), or null. */
  switchedAt: string | null;
}

/** One generation's storage: its documents with their checkpoints, and its dead letters. */
export interface GenerationHandle {
  id: string;
  readModel: ProfileReadModel;
  deadLetters: ProjectionDeadLetters;
}

export interface ReadModelGenerations {
  state(): Promise<GenerationsState>;
  /** The generation's storage; handles are cached and owned by the generations (closed with them). */
  open(id: string): Promise<GenerationHandle>;
  /**
   * Starts a build into a fresh, empty generation, or, when a build was interrupted and `fresh`
   * is false, hands that one back to be resumed from its own checkpoint.
   */
  beginBuild(options: { fresh: boolean }): Promise<{ id: string; resumed: boolean }>;
  /**
   * Makes the generation being built the active one, only if `expectedActive` is still active
   * and `id` is still the one being built (compare-and-set). Throws GenerationConflictError.
   */
  activate(id: string, expectedActive: string, at: string): Promise<void>;
  close(): Promise<void>;
}

export class GenerationConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GenerationConflictError';
  }
}
