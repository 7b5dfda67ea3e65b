import { ProfileState } from '@cds/domain';
import { profileStream } from '../streams/stream-names';
import { FoldedProfile, ProfileStreams } from './profile-streams';

/** Merges followed before giving up: a longer chain is not a real one. */
export const MAX_MERGE_HOPS = 32;

export interface MergeChain<T> {
  /** Every profile on the way, the addressed one first. */
  members: T[];
  /** The live profile at the end, or null when the chain ends in an erased or unknown profile. */
  live: T | null;
}

/**
 * The one walk along `merged_into`: from a profile to the live profile that now holds it ("later
 * activity on that browser maps to the same user"), whatever the profiles are read from — the
 * log as it is now, the log as it was at some point, or the read model.
 */
export async function walkMergeChain<T>(
  profileId: string,
  load: (profileId: string) => Promise<T>,
  stateOf: (loaded: T) => Pick<ProfileState, 'status' | 'merged_into'> | null,
): Promise<MergeChain<T>> {
  const members: T[] = [];
  let id = profileId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const loaded = await load(id);
    const state = stateOf(loaded);
    if (state === null) break;
    members.push(loaded);
    if (state.status === 'active') return { members, live: loaded };
    if (state.status !== 'merged' || state.merged_into === null) break;
    id = state.merged_into;
  }
  return { members, live: null };
}

/**
 * The merge chain as the command side sees it now. `settled` waits until writes already under way
 * to a stream are done before it is read (the unifier's lanes).
 */
export function followMergeChain(
  profiles: ProfileStreams,
  tenant: string,
  profileId: string,
  settled: (streamId: string) => Promise<void> = async () => undefined,
): Promise<MergeChain<FoldedProfile>> {
  return walkMergeChain(
    profileId,
    async (id) => {
      await settled(profileStream(tenant, id));
      return profiles.load(tenant, id);
    },
    (folded) => folded.state.profile,
  );
}
