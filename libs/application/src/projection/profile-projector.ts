import { EventStore } from '../ports/event-store.port';
import { ProfileDocument, ProfileReadModel } from '../ports/read-model.port';
import { ProcessorOptions, ProjectionProcessor } from '../processing/projection-processor';
import { profileProjection, profileReadModelTarget } from './profile-projection';

export { PoisonEventError, projectorProblems } from '../processing/processor-status';
export type { PoisonPolicy, ProjectorStatus } from '../processing/processor-status';
export type { CatchUpProgress } from '../processing/projection-processor';

export interface ProjectorOptions extends ProcessorOptions {
  /** Checkpoint name; a rebuild uses the live one's, in its own generation. */
  name: string;
  /** The generation written to, for lease names, when the read model is not the active one. */
  generation?: string;
}

/** The unified-profile projection run by the generic processor, into a profile read model. */
export class ProfileProjector extends ProjectionProcessor<ProfileDocument> {
  constructor(store: EventStore, readModel: ProfileReadModel, options: ProjectorOptions) {
    super(store, profileReadModelTarget(readModel, options.generation), profileProjection, options);
  }
}
