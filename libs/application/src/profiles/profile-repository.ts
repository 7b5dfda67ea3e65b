import { v5 as uuidv5 } from 'uuid';
import { ProfileEvent } from '@cds/domain';
import { AppendResult, EventStore } from '../ports/event-store.port';
import { profileStream } from '../streams/stream-names';
import { toNewEvent } from '../streams/event-codec';
import { emptyProfile, foldRecorded, LoadedProfile } from './loaded-profile';

const EVENT_ID_NAMESPACE = '6f1d0c52-3b8e-4a7f-9c21-5e4b3a2d1f0e';

/** Profiles kept folded in memory, most recently used last. */
const DEFAULT_CACHED_PROFILES = 10_000;

/**
 * Loads and appends profile streams; knows nothing of HTTP or Kafka. Recently used profiles stay
 * folded in memory and a load reads only the events appended since (from any process), so a
 * command on a long stream costs its new events, not its whole history.
 */
export class ProfileRepository {
  private readonly cache = new Map<string, LoadedProfile>();

  constructor(
    private readonly store: EventStore,
    private readonly cacheSize = DEFAULT_CACHED_PROFILES,
  ) {}

  async load(tenant: string, profileId: string): Promise<LoadedProfile> {
    const streamId = profileStream(tenant, profileId);
    const base = this.cache.get(streamId) ?? emptyProfile(tenant, profileId, streamId);
    const recorded = await this.store.readStream(streamId, { fromRevision: base.revision === null ? 0 : base.revision + 1 });
    const loaded = recorded.length > 0 ? foldRecorded(base, recorded) : base;
    this.remember(loaded);
    return loaded;
  }

  private remember(profile: LoadedProfile): void {
    if (profile.revision === null || this.cacheSize === 0) return;
    const cached = this.cache.get(profile.streamId);
    // Concurrent loads may finish out of order: never step the cache back.
    if (cached && (cached.revision ?? -1) > profile.revision) return;
    this.cache.delete(profile.streamId);
    this.cache.set(profile.streamId, profile);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }

  /**
   * Appends with the revision the decision was made on: if anyone wrote in between, the append
   * fails with WrongExpectedRevisionError and the caller decides again on fresh state.
   * Event ids derive from stream, revision and correlation id, so a blind retry of the same
   * append is recognisable as the same write.
   */
  async append(
    profile: LoadedProfile,
    events: ProfileEvent[],
    correlationId: string,
  ): Promise<{ profile: LoadedProfile; result: AppendResult }> {
    const base = (profile.revision ?? -1) + 1;
    const newEvents = events.map((event, i) =>
      toNewEvent(event, uuidv5(`${profile.streamId}@${base + i}#${correlationId}`, EVENT_ID_NAMESPACE), {
        tenant: profile.tenant,
        correlation_id: correlationId,
      }),
    );
    const result = await this.store.append(profile.streamId, newEvents, profile.revision ?? 'no_stream');
    const recorded = newEvents.map((e, i) => ({
      ...e,
      streamId: profile.streamId,
      revision: base + i,
      // One append commits as a unit: its events share the commit position.
      position: result.position,
      created: '',
    }));
    const appended = foldRecorded(profile, recorded);
    this.remember(appended);
    return { profile: appended, result };
  }
}
