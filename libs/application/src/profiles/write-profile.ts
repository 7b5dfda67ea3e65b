import { decideProfile, DomainError, evolveProfile, IdempotentRequest, notFound, ProfileCommand, ProfileEvent, ProfileMergedAwayError } from '@cds/domain';
import { LogPosition } from '../ports/event-store.port';
import { handleStream, StreamDecision } from '../streams/handle-stream';
import { followMergeChain, MAX_MERGE_HOPS, MergeChain } from './follow-merge-chain';
import { keyedIdSeed, sameRequestOrRefuse } from './idempotency';
import { SeenRequest } from './key-window';
import { FoldedProfile, ProfileStreams } from './profile-streams';

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

/** Several writes to one addressed profile (a Kafka batch's messages for one key), in order. */
export interface ProfileWriteBatch {
  tenant: string;
  addressedId: string;
  writes: Array<{ command: ProfileCommand; idempotency?: IdempotentRequest }>;
  correlationId: string;
}

export type BatchItemOutcome =
  | { kind: 'applied'; position: LogPosition | null }
  | { kind: 'replayed'; position: LogPosition | null }
  | { kind: 'refused'; error: DomainError };

/**
 * Writes to a profile without ever losing the write to a merge racing it: the write is decided on
 * the live end of the addressed profile's merge chain; if that profile merges away between
 * decision and append, the append fails and the write is decided again on the survivor. A keyed
 * request applied before (to any profile on the chain) is answered as it was, not applied twice.
 */
export async function writeProfile(profiles: ProfileStreams, write: ProfileWrite): Promise<ProfileWriteOutcome> {
  const { profile, outcomes } = await writeProfileBatch(profiles, {
    tenant: write.tenant,
    addressedId: write.addressedId,
    writes: [{ command: write.command, idempotency: write.idempotency }],
    correlationId: write.correlationId,
  });
  const [outcome] = outcomes;
  if (outcome.kind === 'refused') throw outcome.error;
  return { profile, position: outcome.position, replayed: outcome.kind === 'replayed' };
}

/**
 * The writes of a batch land in one append, each decided on the state the ones before it left;
 * one the domain refuses is left out (and reported) without holding the others back.
 */
export async function writeProfileBatch(
  profiles: ProfileStreams,
  batch: ProfileWriteBatch,
): Promise<{ profile: FoldedProfile; outcomes: BatchItemOutcome[] }> {
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const chain = await followMergeChain(profiles, batch.tenant, batch.addressedId);
    const creating = batch.writes[0]?.command.type === 'CreateProfile';
    const target = creating ? chain.members[0] : chain.live;
    const earlier = batch.writes.map((write) => earlierApplication(chain, write.idempotency));
    if (!target) throw notFound('profile_not_found', `No profile ${batch.addressedId}`);
    let outcomes: BatchItemOutcome[] = [];
    try {
      const outcome = await handleStream(
        profiles.streams,
        target.streamId,
        (folded): StreamDecision<ProfileEvent> => {
          const decided = decideBatch(folded, batch, earlier);
          outcomes = decided.outcomes;
          return { events: decided.events, idSeeds: decided.idSeeds };
        },
        { metadata: { tenant: batch.tenant, correlation_id: batch.correlationId }, loaded: target },
      );
      const position = outcome.position;
      // A create answered as a replay answers with where that profile lives now.
      const profile = creating && outcome.folded.state.profile.status === 'merged' ? (chain.live ?? outcome.folded) : outcome.folded;
      return {
        profile,
        outcomes: outcomes.map((item) => (item.kind === 'applied' ? { kind: 'applied', position } : item)),
      };
    } catch (error) {
      // It merged away while we decided: the writes go to its survivor.
      if (error instanceof ProfileMergedAwayError) continue;
      throw error;
    }
  }
  throw notFound('profile_not_found', `Profile ${batch.addressedId} cannot be resolved`);
}

function decideBatch(folded: FoldedProfile, batch: ProfileWriteBatch, earlier: Array<SeenRequest | undefined>) {
  let state = folded.state.profile;
  const events: ProfileEvent[] = [];
  const idSeeds: Array<string | undefined> = [];
  const outcomes: BatchItemOutcome[] = [];
  const keysInBatch = new Set<string>();
  batch.writes.forEach((write, i) => {
    const key = write.idempotency?.idempotency_key;
    try {
      const seen = earlier[i] ?? (key !== undefined ? folded.state.keys.get(key) : undefined);
      if (seen && write.idempotency) {
        outcomes.push(replayed(sameRequestOrRefuse(seen, write.idempotency)));
        return;
      }
      if (key !== undefined && keysInBatch.has(key)) {
        // The same message twice in one batch: the first one counts.
        outcomes.push({ kind: 'replayed', position: null });
        return;
      }
      const decided = decideProfile(write.command, state);
      for (const event of decided) state = evolveProfile(state, event);
      events.push(...decided);
      decided.forEach((_, n) => idSeeds.push(write.idempotency ? `${keyedIdSeed(batch.tenant, write.idempotency)}#${n}` : undefined));
      if (key !== undefined) keysInBatch.add(key);
      outcomes.push({ kind: 'applied', position: null });
    } catch (error) {
      // A profile that merged away sends the whole batch on to its survivor.
      if (error instanceof ProfileMergedAwayError || !(error instanceof DomainError)) throw error;
      outcomes.push({ kind: 'refused', error });
    }
  });
  return { events, idSeeds, outcomes };
}

const replayed = (seen: SeenRequest | undefined): BatchItemOutcome => ({ kind: 'replayed', position: seen?.position ?? null });

/** Where a keyed request landed before, on any profile of the chain (checked against the request when decided). */
function earlierApplication(chain: MergeChain<FoldedProfile>, request: IdempotentRequest | undefined): SeenRequest | undefined {
  if (!request) return undefined;
  for (const member of chain.members) {
    const seen = member.state.keys.get(request.idempotency_key);
    if (seen) return seen;
  }
  return undefined;
}
