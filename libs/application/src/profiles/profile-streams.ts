import { StreamEvent } from '@cds/domain';
import { EventStore, ReadStreamOptions, RecordedEvent } from '../ports/event-store.port';
import { FoldedStream, FoldedStreams } from '../streams/folded-streams';
import { profileStream } from '../streams/stream-names';
import { ProfileHistories } from './profile-histories';
import { evolveProfileWriteState, initialProfileWriteState, ProfileWriteState } from './profile-write-state';

export type FoldedProfile = FoldedStream<ProfileWriteState>;

/** Profiles kept folded for deciding, weighed by their idempotency keys (a key weighs ~1/100 of a profile). */
const DEFAULT_MAX_WEIGHT = 10_000;

/** Profile streams folded for the command side; one per process, shared by every use case. */
export class ProfileStreams {
  readonly streams: FoldedStreams<ProfileWriteState>;

  constructor(
    private readonly store: EventStore,
    maxWeight = DEFAULT_MAX_WEIGHT,
    /** Whole histories kept for refolds (the unifier's unmerges); none kept when omitted. */
    private readonly histories = new ProfileHistories({ maxEvents: 0 }),
  ) {
    this.streams = new FoldedStreams<ProfileWriteState>(
      store,
      {
        initialState: initialProfileWriteState,
        evolve: evolveProfileWriteState,
        weigh: (state) => 1 + Math.floor(state.keys.size / 100),
      },
      { maxWeight },
    );
  }

  load(tenant: string, profileId: string): Promise<FoldedProfile> {
    return this.streams.load(profileStream(tenant, profileId));
  }

  /** The log showed `recorded`, in log order: what is kept of its stream moves on without a read. */
  followed(recorded: RecordedEvent): void {
    this.streams.followed(recorded);
    this.histories.followed(recorded);
  }

  /** Drops folded profiles from memory (after an erasure: what they held must not outlive their keys). */
  forget(tenant: string, profileIds: readonly string[]): void {
    for (const id of profileIds) {
      this.streams.forget(profileStream(tenant, id));
      this.histories.forget(profileStream(tenant, id));
    }
  }

  /**
   * A profile's events with their revisions, from `from` and up to `upTo` (inclusive) when given:
   * for decisions that refold a stream.
   */
  async events(tenant: string, profileId: string, upTo?: number | null, from = 0): Promise<StreamEvent[]> {
    return this.histories.read((id, options) => this.readAndFold(id, options), profileStream(tenant, profileId), from, upTo ?? null);
  }

  /** A read for a refold also brings the folded stream up to date: the decision that follows need not read it again. */
  private async readAndFold(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const recorded = await this.store.readStream(streamId, options);
    for (const event of recorded) this.streams.followed(event);
    return recorded;
  }
}
