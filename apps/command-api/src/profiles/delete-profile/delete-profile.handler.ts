import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, deleteProfile, ProfileStreams, SubjectKeys } from '@cds/application';
import { MAX_WAIT_MS } from '../../http/log-position';
import { ReadModelCatchUp } from '../../infrastructure/read-model-catch-up';
import { READ_MODEL_CATCH_UP } from '../../infrastructure/tokens';
import { DeleteProfileCommand } from './delete-profile.command';

/** Erases the live profile and everything merged into it, for real (their keys are destroyed). */
@CommandHandler(DeleteProfileCommand)
export class DeleteProfileHandler implements ICommandHandler<DeleteProfileCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(SubjectKeys) private readonly keys: SubjectKeys,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL_CATCH_UP) private readonly catchUp: ReadModelCatchUp,
  ) {}

  async execute({ tenant, profileId, write }: DeleteProfileCommand) {
    const outcome = await deleteProfile(this.profiles, this.keys, this.clock, { tenant, profileId, correlationId: write.correlationId });
    // Reads come from the read model: answer once it has forgotten too (bounded; the erasure itself is done).
    if (outcome.position !== null) await this.catchUp.waitFor(outcome.position, MAX_WAIT_MS);
    return { position: outcome.position };
  }
}
