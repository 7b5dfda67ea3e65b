import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, deleteProfile, ProfileStreams } from '@cds/application';
import { DeleteProfileCommand } from './delete-profile.command';

/** Erases the live profile; everything merged into it goes with it, since it resolves there. */
@CommandHandler(DeleteProfileCommand)
export class DeleteProfileHandler implements ICommandHandler<DeleteProfileCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, profileId, write }: DeleteProfileCommand) {
    const outcome = await deleteProfile(this.profiles, this.clock, { tenant, profileId, correlationId: write.correlationId });
    return { position: outcome.position };
  }
}
