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

/** Names that stand for a value without revealing it (keyed digests; the personal-data keys provide them). */
export interface KeyedNames {
  keyedName(tenant: string, purpose: string, value: string): Promise<string>;
}

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
  /**
   * Claims decided but not yet in the log. The unifier is the only writer of claims, so what it
   * decided is the truth from the moment it decided it: the next decision reads it here without
   * waiting for the append (appends to one claim stream stay in order on its lane).
   */
  private readonly pendingOwners = new Map<string, { owner: string; writes: number }>();
  private readonly pendingClaimants = new Map<string, { claimants: string[]; writes: number }>();

  constructor(
    store: EventStore,
    private readonly names: KeyedNames,
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

  /** The user's claim stream (also the lane its writes stay ordered on). */
  async userStream(tenant: string, userId: string): Promise<string> {
    return userIdStream(tenant, await this.names.keyedName(tenant, 'user_id', userId));
  }

  /** The identity value's claim stream (also its lane). */
  async identityStream(tenant: string, rule: UnificationRule, value: string): Promise<string> {
    return identityStream(tenant, await this.names.keyedName(tenant, 'identity', `${rule.property_name}\n${value}`));
  }

  async owner(tenant: string, userId: string): Promise<string | null> {
    const streamId = await this.userStream(tenant, userId);
    return this.pendingOwners.get(streamId)?.owner ?? (await this.users.load(streamId)).state.owner;
  }

  /**
   * Records the user's owner at once (see `owner`) and returns the append that puts it in the
   * log: run it on the claim's lane, so appends to one claim stream keep the order they were decided in.
   */
  claimUser(tenant: string, streamId: string, profileId: string): () => Promise<void> {
    const pending = this.pendingOwners.get(streamId);
    this.pendingOwners.set(streamId, { owner: profileId, writes: (pending?.writes ?? 0) + 1 });
    const at = this.clock.now().toISOString();
    return async () => {
      try {
        await handleStream<UserIdClaimState, UserIdClaimed>(
          this.users,
          streamId,
          (folded) => ({ events: userIdClaimDecider.decide({ type: 'ClaimUserId', profile_id: profileId, at }, folded.state) }),
          { metadata: { tenant } },
        );
      } finally {
        settle(this.pendingOwners, streamId);
      }
    };
  }

  async claimants(streamId: string): Promise<readonly string[]> {
    return this.pendingClaimants.get(streamId)?.claimants ?? (await this.identities.load(streamId)).state.claimants;
  }

  /**
   * Records that the profile carries the value at once (see `claimants`), given the claimants read
   * just before, and returns the append that puts it in the log (run it on the claim's lane).
   */
  claimIdentity(tenant: string, streamId: string, profileId: string, claimantsBefore: readonly string[]): () => Promise<void> {
    const pending = this.pendingClaimants.get(streamId);
    const claimants = claimantsBefore.includes(profileId) ? [...claimantsBefore] : [...claimantsBefore, profileId];
    this.pendingClaimants.set(streamId, { claimants, writes: (pending?.writes ?? 0) + 1 });
    const at = this.clock.now().toISOString();
    return async () => {
      try {
        await handleStream<IdentityClaimState, IdentityValueClaimed>(
          this.identities,
          streamId,
          (folded) => ({ events: identityClaimDecider.decide({ type: 'ClaimIdentityValue', profile_id: profileId, at }, folded.state) }),
          { metadata: { tenant } },
        );
      } finally {
        settle(this.pendingClaimants, streamId);
      }
    };
  }
}

/** One write of a stream's pending claims is done; the last one done lets the log answer again. */
function settle(pending: Map<string, { writes: number }>, streamId: string): void {
  const entry = pending.get(streamId);
  if (!entry) return;
  if (entry.writes <= 1) pending.delete(streamId);
  else entry.writes -= 1;
}
