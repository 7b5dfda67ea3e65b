import { MergeReason, mergeRulesFor, ProfileState, snapshotOf } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { SchemaService } from '../schema/schema-service';
import { CommandOutcome, ProfileCommands } from './profile-commands';
import { LoadedProfile } from './loaded-profile';
import { ProfileResolver } from './profile-resolver';

export interface MergeRequest {
  tenant: string;
  survivorId: string;
  mergedId: string;
  reason: MergeReason;
  triggeredBy: 'survivor' | 'merged';
  correlationId: string;
}

export type MergeResult =
  | { kind: 'merged'; outcome: CommandOutcome }
  /** The profile to merge had already merged elsewhere; the caller re-plans on live profiles. */
  | { kind: 'moved' };

/**
 * A merge is two appends on two streams, in an order that loses nothing without transactions:
 * 1. close the merged profile (expected revision): later writes to it fail and go to the survivor;
 * 2. the survivor absorbs the merged profile as it was at the closing revision.
 * A crash between the two leaves a closed profile whose survivor lacks it; whoever next meets
 * the closed profile completes step 2 (absorbing is idempotent, so completing twice is harmless).
 */
export class ProfileMerger {
  constructor(
    private readonly commands: ProfileCommands,
    private readonly resolver: ProfileResolver,
    private readonly schema: SchemaService,
    private readonly clock: Clock,
  ) {
    resolver.setMergeCompleter((profile) => this.completeMerge(profile, `complete-${profile.profileId}`));
  }

  async merge(request: MergeRequest): Promise<MergeResult> {
    const { tenant, survivorId, mergedId, reason, triggeredBy, correlationId } = request;
    const closing = await this.commands.execute(
      tenant,
      mergedId,
      (profile) =>
        profile.profileId === mergedId
          ? { type: 'MergeAway', survivor_id: survivorId, reason, triggered_by: triggeredBy, at: this.now() }
          : null,
      { correlationId: `${correlationId}:close` },
    );
    const closed = closing.profile;
    if (closed.profileId !== mergedId || !closed.beforeClose || closed.state.merged_into !== survivorId) {
      return { kind: 'moved' };
    }
    return { kind: 'merged', outcome: await this.absorb(tenant, survivorId, closed, `${correlationId}:absorb`) };
  }

  /** Step 2 for a profile found closed: absorb it into the live end of its chain unless done. */
  async completeMerge(closed: LoadedProfile, correlationId: string): Promise<void> {
    if (!closed.beforeClose || !closed.state.merged_into) return;
    const live = await this.resolver.followChain(closed.tenant, closed.state.merged_into);
    if (!live || live.state.merged_from.some((m) => m.profile_id === closed.profileId)) return;
    await this.absorb(closed.tenant, live.profileId, closed, correlationId);
  }

  private async absorb(tenant: string, survivorId: string, closed: LoadedProfile, correlationId: string) {
    const before = closed.beforeClose!;
    const schema = await this.schema.current(tenant);
    return this.commands.execute(
      tenant,
      survivorId,
      (survivor) => ({
        type: 'AbsorbProfile',
        merged: snapshotOf(before.state),
        merged_revision: before.revision,
        reason: before.reason,
        triggered_by: before.triggered_by,
        trigger_is_legitimate_interest: !trigger(before.triggered_by, survivor.state, before.state).tracking_consent,
        rules: mergeRulesFor(schema, survivor.state, before.state),
        idempotency_keys: before.seenKeys,
        at: this.now(),
      }),
      { correlationId },
    );
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

function trigger(side: 'survivor' | 'merged', survivor: ProfileState, merged: ProfileState): ProfileState {
  return side === 'survivor' ? survivor : merged;
}
