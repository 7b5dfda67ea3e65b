import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, deleteProfile, ProfileStreams, SubjectKeys } from '@cds/application';
import { DeleteProfileCommand } from './delete-profile.command';

/** Erases the live profile and everything merged into it, for real (their keys are destroyed). */
@CommandHandler(DeleteProfileCommand)
export class DeleteProfileHandler implements ICommandHandler<DeleteProfileCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(SubjectKeys) private readonly keys: SubjectKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, profileId, write }: DeleteProfileCommand) {
    const outcome = await deleteProfile(this.profiles, this.keys, this.clock, { tenant, profileId, correlationId: write.correlationId });
    return { position: outcome.position };
  }
}
