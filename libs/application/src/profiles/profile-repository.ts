import { v5 as uuidv5 } from 'uuid';
import { ProfileEvent } from '@cds/domain';
import { AppendResult, EventStore } from '../ports/event-store.port';
import { profileStream } from '../streams/stream-names';
import { toNewEvent } from '../streams/event-codec';
import { emptyProfile, foldRecorded, LoadedProfile } from './loaded-profile';

const EVENT_ID_NAMESPACE = '6f1d0c52-3b8e-4a7f-9c21-5e4b3a2d1f0e';

/** Loads and appends profile streams; knows nothing of HTTP or Kafka. */
export class ProfileRepository {
  constructor(private readonly store: EventStore) {}

  async load(tenant: string, profileId: string): Promise<LoadedProfile> {
    const streamId = profileStream(tenant, profileId);
    const recorded = await this.store.readStream(streamId);
    return foldRecorded(emptyProfile(tenant, profileId, streamId), recorded);
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
    return { profile: foldRecorded(profile, recorded), result };
  }
}
