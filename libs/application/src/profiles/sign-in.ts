import { notFound, profileIdForTracker } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { CommandOutcome, ProfileCommands } from './profile-commands';
import { ProfileMerger } from './profile-merger';
import { ProfileResolver } from './profile-resolver';
import { UserIdClaims } from './user-id-claims';

export interface SignInRequest {
  tenant: string;
  userId: string;
  anonymousProfileTracker: string;
  correlationId: string;
}

/**
 * SPEC §5 by user_id: stamp the user on the tracker's profile, then, if another live profile is
 * the user's permanent profile, merge the stamped one into it. The claim stream decides which
 * profile is permanent, so concurrent sign-ins on two devices end with one profile.
 */
export class SignIn {
  constructor(
    private readonly commands: ProfileCommands,
    private readonly resolver: ProfileResolver,
    private readonly merger: ProfileMerger,
    private readonly claims: UserIdClaims,
    private readonly clock: Clock,
  ) {}

  async execute(request: SignInRequest): Promise<CommandOutcome> {
    const { tenant, userId, correlationId } = request;
    const trackedId = profileIdForTracker(tenant, request.anonymousProfileTracker);
    const live = await this.resolver.resolveLive(tenant, trackedId);
    if (!live) throw notFound('profile_not_found', 'No profile has this anonymous_profile_tracker');
    const stamped = await this.commands.execute(
      tenant,
      live.profileId,
      () => ({ type: 'StampUser', user_id: userId, at: this.clock.now().toISOString() }),
      { correlationId: `${correlationId}:stamp` },
    );
    const owner = await this.claims.claim(tenant, userId, stamped.profile.profileId, async (claimed) => {
      const holder = await this.resolver.resolveLive(tenant, claimed);
      return holder?.profileId ?? null;
    });
    if (owner === stamped.profile.profileId) return stamped;
    const merged = await this.merger.merge(
      tenant,
      async () => {
        // Re-planned on fresh state after every earlier merge: both may have moved.
        const [device, permanent] = await Promise.all([
          this.resolver.resolveLive(tenant, trackedId),
          this.resolver.resolveLive(tenant, owner),
        ]);
        if (!device || !permanent || device.profileId === permanent.profileId) return null;
        return { survivorId: permanent.profileId, mergedId: device.profileId, reason: { kind: 'user_id' }, triggeredBy: 'merged' };
      },
      `${correlationId}:merge`,
    );
    if (merged) return merged;
    // Nothing left to merge: someone else already brought the device to the permanent profile.
    const now = await this.resolver.resolveLive(tenant, trackedId);
    if (!now) throw notFound('profile_not_found', 'The profile was erased while signing in');
    return { profile: now, position: now.lastPosition, replayed: false };
  }
}
