import { decideProfile, planRestore, planSplit, ProfileEvent, ProfileRestored } from '@cds/domain';
import { handleStream, StreamDecision } from '../streams/handle-stream';
import { profileStream } from '../streams/stream-names';
import { MergeWorkflowDeps } from './merge-workflow';

/** One unmerge the unifier carries out: `mergedId` (and its sub-tree) splits off `survivorId`. */
export interface UnmergeOrder {
  tenant: string;
  survivorId: string;
  mergedId: string;
  requestId: string;
}

/**
 * An unmerge as two steps that each lose nothing and may run twice: first the merged profile
 * lives again (its own events and the writes addressed to it while merged), then the survivor is
 * refolded without the merge and without those writes. In between, both hold the merged
 * profile's data for a moment; nothing written meanwhile is lost (a write addressed to the merged
 * profile lands on it once it lives).
 */
export async function carryOutUnmerge(deps: MergeWorkflowDeps, order: UnmergeOrder): Promise<void> {
  const { tenant, survivorId, mergedId, requestId } = order;
  const at = deps.clock.now().toISOString();
  // Both steps refold the survivor's whole stream: the unifier keeps it (see ProfileHistories), so
  // the second read costs only what was appended since.
  const restoring = await handleStream(
    deps.profiles.streams,
    profileStream(tenant, mergedId),
    async (merged): Promise<StreamDecision<ProfileEvent>> => {
      const profile = merged.state.profile;
      if (profile.status !== 'merged' || profile.merged_into !== survivorId) return { events: [] };
      const plan = planRestore(await deps.profiles.events(tenant, survivorId), await deps.profiles.events(tenant, mergedId, merged.revision), mergedId);
      if (!plan) return { events: [] };
      return { events: decideProfile({ type: 'Restore', survivor_id: survivorId, request_id: requestId, ...plan, at }, profile) };
    },
    { metadata: { tenant } },
  );
  const transferred = restoredBy(await deps.profiles.events(tenant, mergedId, restoring.folded.revision), requestId)?.data.transferred_revisions;
  if (!transferred) return;
  await handleStream(
    deps.profiles.streams,
    profileStream(tenant, survivorId),
    async (survivor): Promise<StreamDecision<ProfileEvent>> => {
      if (!survivor.state.profile.absorbed.includes(mergedId)) return { events: [] };
      const plan = planSplit(await deps.profiles.events(tenant, survivorId, survivor.revision), mergedId, transferred);
      if (!plan) return { events: [] };
      return { events: decideProfile({ type: 'SplitOff', merged_profile_id: mergedId, request_id: requestId, ...plan, at }, survivor.state.profile) };
    },
    { metadata: { tenant } },
  );
}

function restoredBy(events: Array<{ event: ProfileEvent }>, requestId: string): ProfileRestored | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const { event } = events[i];
    if (event.type === 'ProfileRestored' && event.data.request_id === requestId) return event;
  }
  return undefined;
}
