import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  CLOCK,
  Clock,
  endSession,
  ensureUserProfile,
  eraseUser,
  EVENT_STORE,
  EventStore,
  ProfileStreams,
  ServiceBusyError,
  stampUser,
  SubjectKeys,
  UNIFICATION_PROGRESS,
  UnificationClaims,
  UnificationProgress,
} from '@cds/application';
import { MAX_WAIT_MS, UNIFICATION_WAIT_MS } from '../../http/log-position';
import { ReadModelCatchUp } from '../../infrastructure/read-model-catch-up';
import { READ_MODEL_CATCH_UP } from '../../infrastructure/tokens';
import { UnifiedAnswer } from '../shared/unified-answer';
import { toWriteResult } from '../shared/write-result';
import { SyncProfileCommand } from './sync-profile.command';

/**
 * Sign-in stamps the user on the browser's profile; the unifier then merges the user's profiles
 * into one permanent profile, and the answer is that profile. The identity provider's other
 * lifecycle events add a user's permanent profile, end a browser's session, or erase the user.
 */
@CommandHandler(SyncProfileCommand)
export class SyncProfileHandler implements ICommandHandler<SyncProfileCommand> {
  constructor(
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(UnificationClaims) private readonly claims: UnificationClaims,
    @Inject(SubjectKeys) private readonly keys: SubjectKeys,
    @Inject(UNIFICATION_PROGRESS) private readonly unification: UnificationProgress,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(UnifiedAnswer) private readonly unified: UnifiedAnswer,
    @Inject(READ_MODEL_CATCH_UP) private readonly catchUp: ReadModelCatchUp,
  ) {}

  async execute({ tenant, request, write }: SyncProfileCommand) {
    const { correlationId } = write;
    switch (request.event) {
      case 'AUTHENTICATION_SUCCESS':
        return this.unified.after(tenant, await stampUser(this.profiles, this.clock, { tenant, userId: request.userId, ...browserOf(request.browser), correlationId }), 'required');
      case 'POST_ADD_USER': {
        if (request.browser) return this.unified.after(tenant, await stampUser(this.profiles, this.clock, { tenant, userId: request.userId, ...browserOf(request.browser), correlationId }), 'required');
        await this.claimsUpToDate(tenant);
        return this.unified.after(tenant, await ensureUserProfile(this.profiles, this.claims, this.clock, { tenant, userId: request.userId, correlationId }), 'required');
      }
      case 'SESSION_TERMINATE':
        return toWriteResult(tenant, await endSession(this.profiles, this.clock, { tenant, tracker: request.tracker, correlationId }));
      case 'POST_DELETE_USER_WITH_ID':
        await this.claimsUpToDate(tenant);
        const erased = await eraseUser(this.profiles, this.claims, this.keys, this.clock, { tenant, userId: request.userId, correlationId });
        // Reads come from the read model: answer once it has forgotten too (bounded; the erasure itself is done).
        if (erased.position !== null) await this.catchUp.waitFor(erased.position, MAX_WAIT_MS);
        return null;
      default: {
        const unhandled: never = request;
        throw new Error(`Unhandled sync request ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Who owns a user id is the unifier's to say: let it pass everything written so far first. */
  private async claimsUpToDate(tenant: string): Promise<void> {
    const head = await this.eventStore.headPosition();
    if (head !== null && !(await this.unification.waitFor(tenant, head, UNIFICATION_WAIT_MS))) {
      throw new ServiceBusyError('unification_pending', 'Profiles are still being unified; nothing was written, retry shortly', 1);
    }
  }
}

function browserOf(browser: { tracker: string } | { profileId: string }) {
  return 'tracker' in browser ? { anonymousProfileTracker: browser.tracker } : { profileId: browser.profileId };
}
