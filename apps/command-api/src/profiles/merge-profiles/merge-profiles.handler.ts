import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, idempotentRequest, ProfileStreams, requestMerge } from '@cds/application';
import { UnifiedAnswer } from '../shared/unified-answer';
import { MergeProfilesCommand } from './merge-profiles.command';

/** The request is recorded on the survivor; the unifier merges; the answer is the unified profile. */
@CommandHandler(MergeProfilesCommand)
export class MergeProfilesHandler implements ICommandHandler<MergeProfilesCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(UnifiedAnswer) private readonly unified: UnifiedAnswer,
  ) {}

  async execute({ tenant, profileId, otherId, write }: MergeProfilesCommand) {
    const idempotency = write.idempotencyKey ? idempotentRequest(write.idempotencyKey, { write: 'merge', profile_id: profileId, other: otherId }) : undefined;
    const requested = await requestMerge(this.profiles, this.clock, { tenant, profileId, otherId, idempotency, correlationId: write.correlationId });
    return this.unified.after(tenant, requested, 'required');
  }
}
