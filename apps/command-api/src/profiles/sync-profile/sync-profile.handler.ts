import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SignIn } from '@cds/application';
import { toWriteResult } from '../shared/write-result';
import { SyncProfileCommand } from './sync-profile.command';

@CommandHandler(SyncProfileCommand)
export class SyncProfileHandler implements ICommandHandler<SyncProfileCommand> {
  constructor(@Inject(SignIn) private readonly signIn: SignIn) {}

  async execute({ tenant, userId, tracker, write }: SyncProfileCommand) {
    const outcome = await this.signIn.execute({
      tenant,
      userId,
      anonymousProfileTracker: tracker,
      correlationId: write.correlationId,
    });
    return toWriteResult(tenant, outcome);
  }
}
