import {
  IdentityClaimState,
  identityClaimDecider,
  IdentityValueClaimed,
  UnificationRule,
  UserIdClaimed,
  UserIdClaimState,
  userIdClaimDecider,
} from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { EventStore } from '../ports/event-store.port';
import { decodeIdentityClaim, decodeUserIdClaim } from '../streams/event-codec';
import { FoldedStreams } from '../streams/folded-streams';
import { handleStream } from '../streams/handle-stream';
import { identityStream, userIdStream } from '../streams/stream-names';

/** Claim streams kept folded by the unifier (it is their only writer, so what it holds is current). */
const CLAIMS_KEPT = 100_000;

/**
 * The unifier's own state: which profile owns each user_id, and which profiles carried each
 * identity value. One stream per user and per value, so the state is read where it is needed,
 * never scanned at start.
 */
export class UnificationClaims {
  private readonly users: FoldedStreams<UserIdClaimState>;
  private readonly identities: FoldedStreams<IdentityClaimState>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
  ) {
    this.users = new FoldedStreams(
      store,
      { initialState: userIdClaimDecider.initialState, evolve: (state, recorded) => userIdClaimDecider.evolve(state, decodeUserIdClaim(recorded)) },
      { maxWeight: CLAIMS_KEPT },
    );
    this.identities = new FoldedStreams(
      store,
      {
        initialState: identityClaimDecider.initialState,
        evolve: (state, recorded) => identityClaimDecider.evolve(state, decodeIdentityClaim(recorded)),
        weigh: (state) => 1 + Math.floor(state.claimants.length / 10),
      },
      { maxWeight: CLAIMS_KEPT },
    );
  }

  /** The lane key of a user's claim stream (writes to it stay ordered). */
  userLane = (tenant: string, userId: string): string => userIdStream(tenant, userId);
  identityLane = (tenant: string, rule: UnificationRule, value: string): string => identityStream(tenant, rule.property_name, value);

  async owner(tenant: string, userId: string): Promise<string | null> {
    return (await this.users.load(userIdStream(tenant, userId))).state.owner;
  }

  async claimUser(tenant: string, userId: string, profileId: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await handleStream<UserIdClaimState, UserIdClaimed>(
      this.users,
      userIdStream(tenant, userId),
      (folded) => ({ events: userIdClaimDecider.decide({ type: 'ClaimUserId', profile_id: profileId, at }, folded.state) }),
      { metadata: { tenant } },
    );
  }

  async claimants(tenant: string, rule: UnificationRule, value: string): Promise<readonly string[]> {
    return (await this.identities.load(identityStream(tenant, rule.property_name, value))).state.claimants;
  }

  async claimIdentity(tenant: string, rule: UnificationRule, value: string, profileId: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await handleStream<IdentityClaimState, IdentityValueClaimed>(
      this.identities,
      identityStream(tenant, rule.property_name, value),
      (folded) => ({ events: identityClaimDecider.decide({ type: 'ClaimIdentityValue', profile_id: profileId, at }, folded.state) }),
      { metadata: { tenant } },
    );
  }
}
