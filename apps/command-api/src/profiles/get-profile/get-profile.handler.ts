import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PROFILE_READ_MODEL, ProfileReadModel } from '@cds/application';
import { notFound, toUnifiedProfile } from '@cds/domain';
import { ReadModelCatchUp } from '../../infrastructure/read-model-catch-up';
import { READ_MODEL_CATCH_UP } from '../../infrastructure/tokens';
import { waitForPosition } from '../shared/wait-for-position';
import { GetProfileQuery } from './get-profile.query';

const MAX_HOPS = 16;

/** Served from the read model; a merged-away id answers with its survivor. */
@QueryHandler(GetProfileQuery)
export class GetProfileHandler implements IQueryHandler<GetProfileQuery> {
  constructor(
    @Inject(PROFILE_READ_MODEL) private readonly readModel: ProfileReadModel,
    @Inject(READ_MODEL_CATCH_UP) private readonly catchUp: ReadModelCatchUp,
  ) {}

  async execute({ tenant, profileId, waitFor }: GetProfileQuery) {
    await waitForPosition(this.catchUp, waitFor);
    let id = profileId;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const doc = await this.readModel.get(tenant, id);
      if (doc?.state.status === 'active') return toUnifiedProfile(tenant, doc.state);
      if (doc?.state.status !== 'merged' || !doc.state.merged_into) break;
      id = doc.state.merged_into;
    }
    throw notFound('profile_not_found', `No profile ${profileId}`);
  }
}
