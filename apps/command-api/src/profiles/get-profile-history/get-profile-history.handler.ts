import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, readProfileHistory } from '@cds/application';
import { notFound } from '@cds/domain';
import { GetProfileHistoryQuery, ProfileHistoryResponse } from './get-profile-history.query';

/**
 * The events of a profile and of everything merged into it, in log order, read from the log.
 * A merged-away id answers with its survivor's history.
 */
@QueryHandler(GetProfileHistoryQuery)
export class GetProfileHistoryHandler implements IQueryHandler<GetProfileHistoryQuery> {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async execute({ tenant, profileId, pageSize, after }: GetProfileHistoryQuery): Promise<ProfileHistoryResponse> {
    const page = await readProfileHistory(this.eventStore, tenant, profileId, { pageSize, after });
    if (page === null) throw notFound('profile_not_found', `No profile ${profileId}`);
    return {
      profile_id: page.profile_id,
      profile_ids: page.profile_ids,
      events: page.events,
      next_cursor: page.next_after === null ? null : String(page.next_after),
    };
  }
}
