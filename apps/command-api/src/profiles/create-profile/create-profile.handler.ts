import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock, CommandOutcome, ProfileCommands, ProfileResolver, RuleUnification, SchemaService } from '@cds/application';
import { AttributeWrite, parseAttributeWrites, profileIdForTracker, trackerForIdempotencyKey } from '@cds/domain';
import { toWriteResult } from '../shared/write-result';
import { CreateProfileCommand } from './create-profile.command';

@CommandHandler(CreateProfileCommand)
export class CreateProfileHandler implements ICommandHandler<CreateProfileCommand> {
  constructor(
    @Inject(ProfileCommands) private readonly commands: ProfileCommands,
    @Inject(ProfileResolver) private readonly resolver: ProfileResolver,
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RuleUnification) private readonly unification: RuleUnification,
  ) {}

  async execute({ tenant, body, cookieTracker, write }: CreateProfileCommand) {
    const writes = parseAttributeWrites(await this.schema.current(tenant), body.attributes);
    // A browser that already has a live profile keeps it (SPEC §6); attributes sent along land on it.
    if (cookieTracker) {
      const live = await this.resolver.resolveLive(tenant, profileIdForTracker(tenant, cookieTracker));
      if (live) {
        const outcome = await this.commands.execute(
          tenant,
          live.profileId,
          () => ({
            type: 'PatchAttributes',
            writes,
            source: 'http',
            ...(write.idempotencyKey !== undefined ? { idempotency_key: write.idempotencyKey } : {}),
            at: this.clock.now().toISOString(),
          }),
          write,
        );
        return { ...toWriteResult(tenant, await this.unify(tenant, outcome, writes, write.correlationId)), created: false };
      }
    }
    // The same Idempotency-Key always names the same tracker, so a retried create finds its profile.
    const tracker = write.idempotencyKey ? trackerForIdempotencyKey(tenant, write.idempotencyKey) : randomUUID();
    const profileId = profileIdForTracker(tenant, tracker);
    const outcome = await this.commands.execute(
      tenant,
      profileId,
      (profile) =>
        profile.state.status === 'absent'
          ? {
              type: 'CreateProfile',
              profile_id: profileId,
              anonymous_profile_tracker: tracker,
              tracking_consent: body.trackingConsent,
              initial_writes: writes,
              at: this.clock.now().toISOString(),
            }
          : null,
      write,
    );
    return { ...toWriteResult(tenant, await this.unify(tenant, outcome, writes, write.correlationId)), created: true };
  }

  /** Initial attributes may carry identity values that match another profile (seed 002). */
  private async unify(tenant: string, outcome: CommandOutcome, writes: AttributeWrite[], correlationId: string) {
    if (outcome.replayed || !(await this.unification.touchesRule(tenant, writes))) return outcome;
    return (await this.unification.attempt(tenant, outcome.profile.profileId, correlationId)) ?? outcome;
  }
}
