import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RuleUnification, SignIn } from '@cds/application';
import { toWriteResult } from '../shared/write-result';
import { SyncProfileCommand } from './sync-profile.command';

@CommandHandler(SyncProfileCommand)
export class SyncProfileHandler implements ICommandHandler<SyncProfileCommand> {
  constructor(
    @Inject(SignIn) private readonly signIn: SignIn,
    @Inject(RuleUnification) private readonly unification: RuleUnification,
  ) {}

  async execute({ tenant, userId, tracker, write }: SyncProfileCommand) {
    const outcome = await this.signIn.execute({
      tenant,
      userId,
      anonymousProfileTracker: tracker,
      correlationId: write.correlationId,
    });
    // Sign-in is also a moment to look for the person's other profiles by rules (seed 002).
    const merged = await this.unification.attempt(tenant, outcome.profile.profileId, write.correlationId);
    return toWriteResult(tenant, merged ?? outcome);
  }
}
