import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, createProfile, idempotentRequest, ProfileStreams, SchemaService } from '@cds/application';
import { parseAttributeWrites } from '@cds/domain';
import { UnifiedAnswer } from '../shared/unified-answer';
import { toWriteResult } from '../shared/write-result';
import { CreateProfileCommand } from './create-profile.command';

@CommandHandler(CreateProfileCommand)
export class CreateProfileHandler implements ICommandHandler<CreateProfileCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(UnifiedAnswer) private readonly unified: UnifiedAnswer,
  ) {}

  async execute({ tenant, body, cookieTracker, write }: CreateProfileCommand) {
    const writes = parseAttributeWrites(await this.schema.current(tenant), body.attributes);
    const idempotency = write.idempotencyKey
      ? idempotentRequest(write.idempotencyKey, { write: 'create', cookie: cookieTracker, body: { ...body.attributes, tracking_consent: body.trackingConsent } })
      : undefined;
    const outcome = await createProfile(this.profiles, this.clock, {
      tenant,
      cookieTracker,
      trackingConsent: body.trackingConsent,
      writes,
      idempotency,
      correlationId: write.correlationId,
    });
    // Initial attributes may carry identity values that match another profile (seed 002).
    const result =
      !outcome.replayed && (await this.unified.touchesRules(tenant, writes))
        ? await this.unified.after(tenant, outcome, 'best-effort')
        : toWriteResult(tenant, outcome);
    return { ...result, created: outcome.created };
  }
}
