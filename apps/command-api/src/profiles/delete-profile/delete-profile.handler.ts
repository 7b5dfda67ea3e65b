import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, ProfileCommands } from '@cds/application';
import { DeleteProfileCommand } from './delete-profile.command';

/** Erases the live profile; everything merged into it goes with it, since it resolves there. */
@CommandHandler(DeleteProfileCommand)
export class DeleteProfileHandler implements ICommandHandler<DeleteProfileCommand> {
  constructor(
    @Inject(ProfileCommands) private readonly commands: ProfileCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, profileId, write }: DeleteProfileCommand) {
    const outcome = await this.commands.execute(
      tenant,
      profileId,
      () => ({ type: 'DeleteProfile', at: this.clock.now().toISOString() }),
      write,
    );
    return { position: outcome.position };
  }
}
