import { profileStream } from '../streams/stream-names';
import { FoldedProfile, ProfileStreams } from './profile-streams';

/** Merges followed before giving up: a longer chain is not a real one. */
export const MAX_MERGE_HOPS = 32;

export interface MergeChain {
  /** Every profile on the way, the addressed one first. */
  members: FoldedProfile[];
  /** The live profile at the end, or null when the chain ends in an erased or unknown profile. */
  live: FoldedProfile | null;
}

/**
 * Follows a profile to the live profile that now holds it ("later activity on that browser maps
 * to the same user"): a merged-away profile names its survivor, which may have merged on too.
 */
export async function followMergeChain(
  profiles: ProfileStreams,
  tenant: string,
  profileId: string,
  /** Waits until writes already under way to a stream are done before it is read (the unifier's lanes). */
  settled: (streamId: string) => Promise<void> = async () => undefined,
): Promise<MergeChain> {
  const members: FoldedProfile[] = [];
  let id = profileId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    await settled(profileStream(tenant, id));
    const folded = await profiles.load(tenant, id);
    members.push(folded);
    const { status, merged_into } = folded.state.profile;
    if (status === 'active') return { members, live: folded };
    if (status !== 'merged' || merged_into === null) break;
    id = merged_into;
  }
  return { members, live: null };
}
