import { v5 as uuidv5 } from 'uuid';
import { UnificationRule } from '@cds/domain';
import { Clock } from '../ports/clock.port';
import { EventStore, WrongExpectedRevisionError } from '../ports/event-store.port';
import { decodeIdentityClaim, toNewEvent } from '../streams/event-codec';
import { identityStream } from '../streams/stream-names';
import { backoff, MAX_ATTEMPTS } from './profile-commands';
import { WriteContentionError } from './write-contention.error';

const EVENT_ID_NAMESPACE = '7e4a2c19-6b3d-4f8e-a1c5-9d0b2e4f6a83';
/** Claimants considered per value: the most recent ones (older ones have mostly merged since). */
const MAX_CLAIMANTS = 1000;

/**
 * Which profiles ever carried an identity value, in the order they claimed it. Appending a claim
 * with the stream's expected revision means that of two profiles getting the same value at the
 * same moment, the later claimer always sees the earlier one.
 */
export class IdentityIndex {
  constructor(private readonly store: EventStore, private readonly clock: Clock) {}

  async claimants(tenant: string, rule: UnificationRule, value: string): Promise<string[]> {
    const events = await this.store.readStream(identityStream(tenant, rule.property_name, value), {
      direction: 'backwards',
      maxCount: MAX_CLAIMANTS,
    });
    return events.reverse().map((e) => decodeIdentityClaim(e).data.profile_id);
  }

  /** Records that the profile carries the value, unless it already claimed it. */
  async claim(tenant: string, rule: UnificationRule, value: string, profileId: string): Promise<void> {
    const streamId = identityStream(tenant, rule.property_name, value);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const events = await this.store.readStream(streamId);
      if (events.some((e) => decodeIdentityClaim(e).data.profile_id === profileId)) return;
      const last = events[events.length - 1];
      const event = toNewEvent(
        {
          type: 'IdentityValueClaimed',
          data: { property_name: rule.property_name, value, profile_id: profileId, at: this.clock.now().toISOString() },
        },
        uuidv5(`${streamId}@${events.length}#${profileId}`, EVENT_ID_NAMESPACE),
        { tenant },
      );
      try {
        await this.store.append(streamId, [event], last ? last.revision : 'no_stream');
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        await backoff(attempt);
      }
    }
    throw new WriteContentionError(`identity ${rule.property_name}`);
  }
}
