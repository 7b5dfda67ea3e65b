import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, ProfileStreams, stampUser } from '@cds/application';
import { UnifiedAnswer } from '../shared/unified-answer';
import { SyncProfileCommand } from './sync-profile.command';

/**
 * Sign-in stamps the user on the tracker's profile; the unifier then merges the user's profiles
 * into one permanent profile, and the answer is that profile.
 */
@CommandHandler(SyncProfileCommand)
export class SyncProfileHandler implements ICommandHandler<SyncProfileCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(UnifiedAnswer) private readonly unified: UnifiedAnswer,
  ) {}

  async execute({ tenant, userId, tracker, write }: SyncProfileCommand) {
    const stamped = await stampUser(this.profiles, this.clock, { tenant, userId, anonymousProfileTracker: tracker, correlationId: write.correlationId });
    return this.unified.after(tenant, stamped, 'required');
  }
}
