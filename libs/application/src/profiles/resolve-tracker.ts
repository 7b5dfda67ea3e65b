import { profileIdForTracker } from '@cds/domain';
import { followMergeChain } from './follow-merge-chain';
import { FoldedProfile, ProfileStreams } from './profile-streams';

/** A browser's profiles beyond this many generations are not looked for. */
const MAX_GENERATIONS = 64;

export interface TrackedProfile {
  /** The live profile the tracker leads to, or null when it leads to none. */
  live: FoldedProfile | null;
  /** The id a new profile for this tracker takes (the first generation never used). */
  vacantId: string | null;
}

/**
 * Where a tracker (the `cds_profile` cookie, a Kafka message's tracker) leads: generation by
 * generation, the profile it made, followed to its live end, as long as that profile still
 * carries the tracker. A tracker released at the end of a session, or whose profile was erased,
 * leads on to the next generation, so it never reaches that profile again.
 */
export async function resolveTracker(profiles: ProfileStreams, tenant: string, tracker: string): Promise<TrackedProfile> {
  for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
    const id = profileIdForTracker(tenant, tracker, generation);
    const chain = await followMergeChain(profiles, tenant, id);
    if (chain.members[0]?.state.profile.status === 'absent') return { live: null, vacantId: id };
    if (chain.live && chain.live.state.profile.trackers.includes(tracker)) return { live: chain.live, vacantId: null };
  }
  return { live: null, vacantId: null };
}
