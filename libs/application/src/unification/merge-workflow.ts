import { decideProfile, MergeReason, mergeRulesFor, ProfileEvent, ProfileState, snapshotOf } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { subjectsOf } from '../profiles/delete-profile';
import { SubjectKeys } from '../personal-data/subject-keys';
import { FoldedProfile, ProfileStreams } from '../profiles/profile-streams';
import { SchemaService } from '../schema/schema-service';
import { handleStream, StreamDecision } from '../streams/handle-stream';
import { profileStream } from '../streams/stream-names';

/** One merge the unifier decided: `mergedId` closes and `survivorId` absorbs it. */
export interface MergeOrder {
  tenant: string;
  survivorId: string;
  mergedId: string;
  reason: MergeReason;
  triggeredBy: 'survivor' | 'merged';
}

export interface MergeWorkflowDeps {
  profiles: ProfileStreams;
  schema: SchemaService;
  /** A profile that closes into an erased survivor is erased with it. */
  keys: SubjectKeys;
  clock: Clock;
}

/**
 * A merge as two steps that each lose nothing and may run twice: close the merged profile (from
 * then on its id and tracker reach the survivor; a write racing the close either lands before it
 * and is in the snapshot, or fails and is retried on the survivor), then the survivor absorbs the
 * merged profile as it was when it closed. Returns false when the merge no longer applies (one
 * side was erased meanwhile).
 */
export async function carryOutMerge(deps: MergeWorkflowDeps, order: MergeOrder): Promise<boolean> {
  const closed = await closeMerged(deps, order);
  if (closed === null) return false;
  await absorbClosed(deps, order.tenant, order.survivorId, closed);
  return true;
}

async function closeMerged(deps: MergeWorkflowDeps, order: MergeOrder): Promise<FoldedProfile | null> {
  const at = deps.clock.now().toISOString();
  const outcome = await handleStream(
    deps.profiles.streams,
    profileStream(order.tenant, order.mergedId),
    (folded): StreamDecision<ProfileEvent> => {
      const profile = folded.state.profile;
      if (profile.status === 'merged' && profile.merged_into === order.survivorId) return { events: [] };
      if (profile.status !== 'active') return { events: [] };
      return {
        events: decideProfile({ type: 'MergeAway', survivor_id: order.survivorId, reason: order.reason, triggered_by: order.triggeredBy, at }, profile),
      };
    },
    { metadata: { tenant: order.tenant } },
  );
  const profile = outcome.folded.state.profile;
  return profile.status === 'merged' && profile.merged_into === order.survivorId ? outcome.folded : null;
}

/**
 * The survivor takes in a closed profile, unless it did already (absorbing twice would count a
 * `sum` twice). Also completes a merge found half done (closed, not absorbed) after a crash.
 */
export async function absorbClosed(deps: MergeWorkflowDeps, tenant: string, survivorId: string, closed: FoldedProfile): Promise<void> {
  const before = closed.state.closed;
  if (!before) return;
  if ((await deps.profiles.load(tenant, survivorId)).state.profile.status === 'deleted') {
    // The survivor was erased while this one closed into it: what merged into it goes with it.
    const erased = subjectsOf(before.state);
    await deps.keys.erase(tenant, erased);
    deps.profiles.forget(tenant, erased);
    return;
  }
  const { reason, triggered_by } = before;
  const schema = await deps.schema.current(tenant);
  const at = deps.clock.now().toISOString();
  await handleStream(
    deps.profiles.streams,
    profileStream(tenant, survivorId),
    (folded): StreamDecision<ProfileEvent> => {
      const survivor = folded.state.profile;
      // An erased survivor takes what merged into it along.
      if (survivor.status !== 'active' || survivor.merged_from.some((m) => m.profile_id === closed.state.profileId)) return { events: [] };
      const trigger = triggered_by === 'survivor' ? survivor : before.state;
      return {
        events: decideProfile(
          {
            type: 'AbsorbProfile',
            merged: snapshotOf(before.state),
            merged_revision: before.revision,
            reason,
            triggered_by,
            trigger_is_legitimate_interest: !trigger.tracking_consent,
            rules: mergeRulesFor(schema, survivor, before.state),
            at,
          },
          survivor,
        ),
      };
    },
    { metadata: { tenant } },
  );
}

/** Whether a merged-away profile's survivor has taken it in (false: a merge interrupted between its steps). */
export function isAbsorbedBy(survivor: ProfileState, mergedId: string): boolean {
  return survivor.status !== 'active' || survivor.merged_from.some((m) => m.profile_id === mergedId);
}
