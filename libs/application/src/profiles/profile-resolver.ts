import { LoadedProfile } from './loaded-profile';
import { ProfileRepository } from './profile-repository';

const MAX_HOPS = 16;

/**
 * Follows merged-away profiles to the live profile that holds them ("later activity on that
 * browser maps to the same user"). Returns null for a profile that never existed or was erased.
 */
export class ProfileResolver {
  constructor(
    private readonly repository: ProfileRepository,
    /** Completes a merge found half-done on the way; set by the merger to avoid a cycle of imports. */
    private onMergedAway: (profile: LoadedProfile) => Promise<void> = async () => undefined,
  ) {}

  setMergeCompleter(complete: (profile: LoadedProfile) => Promise<void>): void {
    this.onMergedAway = complete;
  }

  async resolveLive(tenant: string, profileId: string): Promise<LoadedProfile | null> {
    let id = profileId;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const profile = await this.repository.load(tenant, id);
      switch (profile.state.status) {
        case 'active':
          return profile;
        case 'merged':
          await this.onMergedAway(profile);
          id = profile.state.merged_into as string;
          break;
        case 'absent':
        case 'deleted':
          return null;
      }
    }
    return null;
  }

  /** The live profile's load, without completing merges: used by the completer itself. */
  async followChain(tenant: string, profileId: string): Promise<LoadedProfile | null> {
    let id = profileId;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const profile = await this.repository.load(tenant, id);
      if (profile.state.status === 'active') return profile;
      if (profile.state.status !== 'merged') return null;
      id = profile.state.merged_into as string;
    }
    return null;
  }
}
