import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, idempotentRequest, ProfileStreams, requestUnmerge } from '@cds/application';
import { UnifiedAnswer } from '../shared/unified-answer';
import { UnmergeProfileCommand } from './unmerge-profile.command';

/** The request is recorded on the survivor; the unifier splits the merge off; the answer is the survivor as it stays. */
@CommandHandler(UnmergeProfileCommand)
export class UnmergeProfileHandler implements ICommandHandler<UnmergeProfileCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(UnifiedAnswer) private readonly unified: UnifiedAnswer,
  ) {}

  async execute({ tenant, profileId, mergedId, write }: UnmergeProfileCommand) {
    const idempotency = write.idempotencyKey ? idempotentRequest(write.idempotencyKey, { write: 'unmerge', profile_id: profileId, merged: mergedId }) : undefined;
    const requested = await requestUnmerge(this.profiles, this.clock, { tenant, profileId, mergedId, idempotency, correlationId: write.correlationId });
    return this.unified.after(tenant, requested, 'required');
  }
}
