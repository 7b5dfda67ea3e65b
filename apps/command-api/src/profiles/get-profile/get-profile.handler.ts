import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  AsOfSnapshots,
  EVENT_STORE,
  EventStore,
  followMergeChain,
  PROFILE_READ_MODEL,
  ProfileReadModel,
  ProfileStreams,
  readProfileAsOf,
  StreamSnapshots,
  walkMergeChain,
} from '@cds/application';
import { notFound, toUnifiedProfile } from '@cds/domain';
import { ReadModelCatchUp } from '../../infrastructure/read-model-catch-up';
import { READ_MODEL_CATCH_UP } from '../../infrastructure/tokens';
import { waitForPosition } from '../shared/wait-for-position';
import { GetProfileQuery } from './get-profile.query';

/**
 * Served from the read model; a merged-away id answers with its survivor. An id the read model
 * does not know (yet) is looked up in the log before the answer is 404. With `as_of`, folded from
 * the log up to that point instead (a merged-away id: its survivor as it was then).
 */
@QueryHandler(GetProfileQuery)
export class GetProfileHandler implements IQueryHandler<GetProfileQuery> {
  constructor(
    @Inject(PROFILE_READ_MODEL) private readonly readModel: ProfileReadModel,
    @Inject(READ_MODEL_CATCH_UP) private readonly catchUp: ReadModelCatchUp,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(AsOfSnapshots) private readonly snapshots: StreamSnapshots,
  ) {}

  async execute({ tenant, profileId, waitFor, asOf }: GetProfileQuery) {
    if (asOf !== undefined) {
      const then = await readProfileAsOf(this.eventStore, tenant, profileId, asOf, this.snapshots);
      if (then === null) throw notFound('profile_not_found', `No profile ${profileId} as of ${asOf.kind === 'position' ? `position ${asOf.position}` : asOf.time}`);
      return toUnifiedProfile(tenant, then.state);
    }
    // Each document on the way (a merged-away id, then its survivor) is waited for where it is written.
    const read = await walkMergeChain(
      profileId,
      async (id) => {
        await waitForPosition(this.catchUp, waitFor, { tenant, profileId: id });
        return this.readModel.get(tenant, id);
      },
      (doc) => doc?.state ?? null,
    );
    if (read.live) return toUnifiedProfile(tenant, read.live.state);
    // The read model may not hold an acknowledged write yet: the log decides that a profile does not exist.
    const live = (await followMergeChain(this.profiles, tenant, profileId)).live;
    if (live) return toUnifiedProfile(tenant, live.state.profile);
    throw notFound('profile_not_found', `No profile ${profileId}`);
  }
}
