import { decideProfile, notFound, ProfileCommand } from '@cds/domain';
import { LogPosition, WrongExpectedRevisionError } from '../ports/event-store.port';
import { LoadedProfile } from './loaded-profile';
import { ProfileRepository } from './profile-repository';
import { WriteContentionError } from './write-contention.error';

export const MAX_ATTEMPTS = 40;
const MAX_REDIRECTS = 16;

export interface CommandOutcome {
  /** The profile the command landed on (the survivor when the target had merged away). */
  profile: LoadedProfile;
  /** Where the write landed in the log; for a no-op, the profile's last position. */
  position: LogPosition | null;
  /** True when an Idempotency-Key showed this was a retry of an earlier write. */
  replayed: boolean;
}

export interface CommandOptions {
  correlationId: string;
  idempotencyKey?: string;
  /** Called when the target is found merged away, so an interrupted merge gets completed. */
  onMergedAway?: (profile: LoadedProfile) => Promise<void>;
}

/**
 * Load → decide → append with expected revision, retried on conflict. A command aimed at a
 * merged-away profile follows it to its survivor, so a write that races a merge is never lost:
 * either it lands before the merge closes the profile (and the survivor absorbs it), or its
 * append fails and the retry lands on the survivor.
 */
export class ProfileCommands {
  constructor(private readonly repository: ProfileRepository) {}

  async execute(
    tenant: string,
    profileId: string,
    build: (profile: LoadedProfile) => ProfileCommand | null,
    options: CommandOptions,
  ): Promise<CommandOutcome> {
    let targetId = profileId;
    let redirects = 0;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const profile = await this.repository.load(tenant, targetId);
      // Redirect first: a retry through a merged-away id answers with the survivor, which
      // carries the merged profile's idempotency keys.
      if (profile.state.status === 'merged' && profile.state.merged_into) {
        if (++redirects > MAX_REDIRECTS) throw notFound('profile_not_found', `Profile ${profileId} cannot be resolved`);
        await options.onMergedAway?.(profile);
        targetId = profile.state.merged_into;
        continue;
      }
      const key = options.idempotencyKey;
      if (key !== undefined && profile.seenKeys.has(key)) {
        return { profile, position: profile.seenKeys.get(key) ?? null, replayed: true };
      }
      const command = build(profile);
      if (command === null) return { profile, position: profile.lastPosition, replayed: false };
      const events = decideProfile(command, profile.state);
      if (events.length === 0) return { profile, position: profile.lastPosition, replayed: false };
      try {
        const { profile: after, result } = await this.repository.append(profile, events, options.correlationId);
        return { profile: after, position: result.position, replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        await backoff(attempt);
      }
    }
    throw new WriteContentionError(`profile ${profileId}`);
  }
}

/** Jittered, so writers that collided do not collide again in lockstep. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.min(50, attempt * 2) * Math.random();
  return ms < 1 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
