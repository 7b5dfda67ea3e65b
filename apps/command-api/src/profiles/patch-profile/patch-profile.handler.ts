import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, ProfileCommands, RuleUnification, SchemaService } from '@cds/application';
import { parseAttributeWrites } from '@cds/domain';
import { toWriteResult } from '../shared/write-result';
import { PatchProfileCommand } from './patch-profile.command';

@CommandHandler(PatchProfileCommand)
export class PatchProfileHandler implements ICommandHandler<PatchProfileCommand> {
  constructor(
    @Inject(ProfileCommands) private readonly commands: ProfileCommands,
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RuleUnification) private readonly unification: RuleUnification,
  ) {}

  async execute({ tenant, profileId, body, source, write }: PatchProfileCommand) {
    // Validated before anything is loaded: a bad write appends nothing.
    const writes = parseAttributeWrites(await this.schema.current(tenant), body);
    const outcome = await this.commands.execute(
      tenant,
      profileId,
      () => ({
        type: 'PatchAttributes',
        writes,
        source,
        ...(write.idempotencyKey !== undefined ? { idempotency_key: write.idempotencyKey } : {}),
        at: this.clock.now().toISOString(),
      }),
      write,
    );
    // A write to a rule's identity property may make this profile one with another (seed 002).
    if (!outcome.replayed && (await this.unification.touchesRule(tenant, writes))) {
      const merged = await this.unification.attempt(tenant, outcome.profile.profileId, write.correlationId);
      if (merged) return toWriteResult(tenant, merged);
    }
    return toWriteResult(tenant, outcome);
  }
}
