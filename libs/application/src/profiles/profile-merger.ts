import { v5 as uuidv5 } from 'uuid';
import { MergeDecided, MergeReason, mergeRulesFor, ProfileState, snapshotOf } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { EventStore, RecordedEvent, WrongExpectedRevisionError } from '../ports/event-store.port';
import { SchemaService } from '../schema/schema-service';
import { decodeMergeDecision, toNewEvent } from '../streams/event-codec';
import { CATEGORY, mergesStream, parseStreamName } from '../streams/stream-names';
import { backoff, CommandOutcome, MAX_ATTEMPTS, ProfileCommands } from './profile-commands';
import { LoadedProfile } from './loaded-profile';
import { ProfileRepository } from './profile-repository';
import { ProfileResolver } from './profile-resolver';
import { WriteContentionError } from './write-contention.error';

const EVENT_ID_NAMESPACE = '5d2c8b1e-9f4a-4e3d-8c7b-2a1f0e9d8c7b';

export interface MergePlan {
  survivorId: string;
  mergedId: string;
  reason: MergeReason;
  triggeredBy: 'survivor' | 'merged';
}

/**
 * Decides a merge on fresh state, once every earlier merge of the tenant is carried out.
 * Returns null when there is nothing (left) to merge.
 */
export type MergePlanner = () => Promise<MergePlan | null>;

/**
 * Merges profiles without transactions and without crossings:
 * - decisions are appended one at a time to the tenant's merge stream (expected revision), each
 *   made after the previous one is carried out, so A-into-B can never race B-into-A;
 * - carrying a decision out is two appends that lose nothing: close the merged profile (later
 *   writes to it fail and go to the survivor), then the survivor absorbs it as it was when it
 *   closed. Both steps are idempotent, so whoever meets a half-done decision completes it.
 */
export class ProfileMerger {
  constructor(
    private readonly store: EventStore,
    private readonly repository: ProfileRepository,
    private readonly commands: ProfileCommands,
    private readonly resolver: ProfileResolver,
    private readonly schema: SchemaService,
    private readonly clock: Clock,
  ) {
    resolver.setMergeCompleter((profile) => this.completeClosed(profile, `complete-${profile.profileId}`));
  }

  async merge(tenant: string, plan: MergePlanner, correlationId: string): Promise<CommandOutcome | null> {
    const streamId = mergesStream(tenant);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      if (last) await this.carryOut(tenant, decodeMergeDecision(last).data, `${correlationId}:previous`);
      const decision = await plan();
      if (!decision) return null;
      const event: MergeDecided = {
        type: 'MergeDecided',
        data: {
          survivor_id: decision.survivorId,
          merged_id: decision.mergedId,
          reason: decision.reason,
          triggered_by: decision.triggeredBy,
          at: this.now(),
        },
      };
      const revision = last ? last.revision + 1 : 0;
      try {
        await this.store.append(
          streamId,
          [toNewEvent(event, uuidv5(`${streamId}@${revision}#${correlationId}`, EVENT_ID_NAMESPACE), { tenant, correlation_id: correlationId })],
          last ? last.revision : 'no_stream',
        );
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        await backoff(attempt);
        continue;
      }
      return this.carryOut(tenant, event.data, correlationId);
    }
    throw new WriteContentionError(`merges of ${tenant}`);
  }

  /** Carries a decision out (or finds it done). Null when a side was erased meanwhile. */
  async carryOut(tenant: string, d: MergeDecided['data'], correlationId: string): Promise<CommandOutcome | null> {
    let merged = await this.repository.load(tenant, d.merged_id);
    if (merged.state.status === 'active') {
      const closing = await this.commands.execute(
        tenant,
        d.merged_id,
        (profile) =>
          profile.profileId === d.merged_id
            ? { type: 'MergeAway', survivor_id: d.survivor_id, reason: d.reason, triggered_by: d.triggered_by, at: this.now() }
            : null,
        { correlationId: `${correlationId}:close` },
      );
      merged = closing.profile.profileId === d.merged_id ? closing.profile : await this.repository.load(tenant, d.merged_id);
    }
    if (merged.state.status !== 'merged' || merged.state.merged_into !== d.survivor_id) return null;
    return this.absorb(tenant, d.survivor_id, merged, `${correlationId}:absorb`);
  }

  /**
   * After a crash: carries out the last decision of every tenant's merge stream (the only one
   * that can be pending, since each is carried out before the next is taken). Returns how many
   * decisions were looked at.
   */
  async completePending(): Promise<number> {
    const lastByStream = new Map<string, RecordedEvent>();
    let after: number | undefined;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: 1000, filter: { streamPrefixes: [`${CATEGORY.merges}-`] } });
      if (page.length === 0) break;
      for (const event of page) lastByStream.set(event.streamId, event);
      after = page[page.length - 1].position;
    }
    for (const [streamId, event] of lastByStream) {
      const tenant = parseStreamName(streamId)?.tenant;
      if (tenant) await this.carryOut(tenant, decodeMergeDecision(event).data, `recovery-${event.id}`);
    }
    return lastByStream.size;
  }

  /** For a profile met closed (after a crash): absorb it into the live end of its chain unless done. */
  async completeClosed(closed: LoadedProfile, correlationId: string): Promise<void> {
    if (!closed.beforeClose || !closed.state.merged_into) return;
    const live = await this.resolver.followChain(closed.tenant, closed.state.merged_into);
    if (!live || live.state.merged_from.some((m) => m.profile_id === closed.profileId)) return;
    await this.absorb(closed.tenant, live.profileId, closed, correlationId);
  }

  private async absorb(tenant: string, survivorId: string, closed: LoadedProfile, correlationId: string): Promise<CommandOutcome | null> {
    const before = closed.beforeClose;
    if (!before) return null;
    const schema = await this.schema.current(tenant);
    try {
      return await this.commands.execute(
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
    } catch (error) {
      // The survivor was erased: what merged into it goes with it (SPEC §6 DELETE).
      if ((error as { code?: string }).code === 'profile_not_found') return null;
      throw error;
    }
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

function trigger(side: 'survivor' | 'merged', survivor: ProfileState, merged: ProfileState): ProfileState {
  return side === 'survivor' ? survivor : merged;
}
