import { v5 as uuidv5 } from 'uuid';
import { EventStore, WrongExpectedRevisionError } from '../ports/event-store.port';
import { Clock } from '../ports/clock.port';
import { decodeUserIdClaim, toNewEvent } from '../streams/event-codec';
import { userIdStream } from '../streams/stream-names';
import { backoff, MAX_ATTEMPTS } from './profile-commands';
import { WriteContentionError } from './write-contention.error';

const EVENT_ID_NAMESPACE = '9a3e5c71-0d2b-4f8a-b6e4-1c7d9e2f4a80';

/**
 * Which profile is the permanent one of a user: the last claim in the user's index stream.
 * A claim is appended with the revision read, so of two racing sign-ins exactly one claims.
 */
export class UserIdClaims {
  constructor(private readonly store: EventStore, private readonly clock: Clock) {}

  /** The profile the user's last claim names, or null when the user never signed in. */
  async claimedProfile(tenant: string, userId: string): Promise<string | null> {
    const [last] = await this.store.readStream(userIdStream(tenant, userId), { direction: 'backwards', maxCount: 1 });
    return last ? decodeUserIdClaim(last).data.profile_id : null;
  }

  /**
   * Claims the user for `profileId` unless a live profile holds the claim already.
   * `liveOwner` maps a claimed profile id to the live profile now holding it (null if erased).
   * Returns the live owner after the call.
   */
  async claim(
    tenant: string,
    userId: string,
    profileId: string,
    liveOwner: (claimedId: string) => Promise<string | null>,
  ): Promise<string> {
    const streamId = userIdStream(tenant, userId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      if (last) {
        const owner = await liveOwner(decodeUserIdClaim(last).data.profile_id);
        if (owner !== null) return owner;
      }
      const event = toNewEvent(
        { type: 'UserIdClaimed', data: { user_id: userId, profile_id: profileId, at: this.clock.now().toISOString() } },
        uuidv5(`${streamId}@${last ? last.revision + 1 : 0}#${profileId}`, EVENT_ID_NAMESPACE),
        { tenant },
      );
      try {
        await this.store.append(streamId, [event], last ? last.revision : 'no_stream');
        return profileId;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        await backoff(attempt);
      }
    }
    throw new WriteContentionError(`user ${userId}`);
  }
}
