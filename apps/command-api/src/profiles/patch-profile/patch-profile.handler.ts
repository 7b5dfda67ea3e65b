import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, idempotentRequest, patchProfile, ProfileStreams, SchemaService } from '@cds/application';
import { JsonValue, parseAttributeWrites } from '@cds/domain';
import { UnifiedAnswer } from '../shared/unified-answer';
import { toWriteResult } from '../shared/write-result';
import { PatchProfileCommand } from './patch-profile.command';

@CommandHandler(PatchProfileCommand)
export class PatchProfileHandler implements ICommandHandler<PatchProfileCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(UnifiedAnswer) private readonly unified: UnifiedAnswer,
  ) {}

  async execute({ tenant, profileId, body, source, write }: PatchProfileCommand) {
    // Validated before anything is loaded: a bad write appends nothing.
    const writes = parseAttributeWrites(await this.schema.current(tenant), body);
    const idempotency = write.idempotencyKey
      ? idempotentRequest(write.idempotencyKey, { write: 'patch', profile_id: profileId, body: body as JsonValue })
      : undefined;
    const outcome = await patchProfile(this.profiles, this.clock, { tenant, profileId, writes, source, idempotency, correlationId: write.correlationId });
    // A write to a rule's identity property may make this profile one with another (seed 002).
    if (source === 'http' && !outcome.replayed && (await this.unified.touchesRules(tenant, writes))) {
      return this.unified.after(tenant, outcome, 'best-effort');
    }
    return toWriteResult(tenant, outcome);
  }
}
