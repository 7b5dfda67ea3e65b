import { decideProfile, IdempotentRequest, notFound, ProfileCommand, ProfileEvent, ProfileMergedAwayError } from '@cds/domain';
import { LogPosition } from '../ports/event-store.port';
import { handleStream, StreamDecision } from '../streams/handle-stream';
import { followMergeChain, MAX_MERGE_HOPS, MergeChain } from './follow-merge-chain';
import { idempotentRequest, keyedIdSeed, sameRequestOrRefuse } from './idempotency';
import { FoldedProfile, ProfileStreams } from './profile-streams';
import { ProfileWriteState } from './profile-write-state';

export interface ProfileWrite {
  tenant: string;
  /** The profile the caller named: by its id, or by its tracker's profile. */
  addressedId: string;
  /** Decided on the live profile the addressed one leads to (a create, on the addressed id itself). */
  command: ProfileCommand;
  idempotency?: IdempotentRequest;
  correlationId: string;
}

export interface ProfileWriteOutcome {
  /** The profile the write landed on, after it (the survivor when the addressed one merged away). */
  profile: FoldedProfile;
  /** Where the write landed in the log; for a no-op the profile's last position. */
  position: LogPosition | null;
  /** True when the Idempotency-Key showed this request was applied before. */
  replayed: boolean;
}

/**
 * Writes to a profile without ever losing the write to a merge racing it: the write is decided on
 * the live end of the addressed profile's merge chain; if that profile merges away between
 * decision and append, the append fails and the write is decided again on the survivor. A keyed
 * request applied before (to any profile on the chain) is answered as it was, not applied twice.
 */
export async function writeProfile(profiles: ProfileStreams, write: ProfileWrite): Promise<ProfileWriteOutcome> {
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const chain = await followMergeChain(profiles, write.tenant, write.addressedId);
    const earlier = earlierApplication(chain, write.idempotency);
    if (earlier) {
      if (!chain.live) throw notFound('profile_not_found', `No profile ${write.addressedId}`);
      return { profile: chain.live, position: earlier.position, replayed: true };
    }
    const target = write.command.type === 'CreateProfile' ? chain.members[0] : chain.live;
    if (!target) throw notFound('profile_not_found', `No profile ${write.addressedId}`);
    try {
      const outcome = await handleStream(profiles.streams, target.streamId, (folded) => decideWrite(folded.state, write), {
        metadata: { tenant: write.tenant, correlation_id: write.correlationId },
        ...(write.idempotency ? { keyedIds: { seed: keyedIdSeed(write.tenant, write.idempotency) } } : {}),
      });
      return { profile: outcome.folded, position: outcome.position, replayed: outcome.replayed };
    } catch (error) {
      // It merged away while we decided: the write goes to its survivor.
      if (error instanceof ProfileMergedAwayError) continue;
      throw error;
    }
  }
  throw notFound('profile_not_found', `Profile ${write.addressedId} cannot be resolved`);
}

function decideWrite(state: ProfileWriteState, write: ProfileWrite): StreamDecision<ProfileEvent> {
  const seen = write.idempotency ? state.keys.get(write.idempotency.idempotency_key) : undefined;
  if (seen && write.idempotency) return { replayOf: sameRequestOrRefuse(seen, write.idempotency).position };
  return { events: decideProfile(write.command, state.profile) };
}

function earlierApplication(chain: MergeChain, request: IdempotentRequest | undefined) {
  if (!request) return undefined;
  for (const member of chain.members) {
    const seen = member.state.keys.get(request.idempotency_key);
    if (seen) return sameRequestOrRefuse(seen, request);
  }
  return undefined;
}

export { idempotentRequest };
