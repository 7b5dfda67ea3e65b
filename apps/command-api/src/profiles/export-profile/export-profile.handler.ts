import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, EVENT_STORE, EventStore, exportSubject, ProfileStreams } from '@cds/application';
import { notFound } from '@cds/domain';
import { ExportProfileQuery } from './export-profile.query';

/** Everything kept about a data subject, from the log (never behind). */
@QueryHandler(ExportProfileQuery)
export class ExportProfileHandler implements IQueryHandler<ExportProfileQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, profileId }: ExportProfileQuery) {
    const exported = await exportSubject(this.eventStore, this.profiles, tenant, profileId, this.clock.now());
    if (!exported) throw notFound('profile_not_found', `No profile ${profileId}`);
    return exported;
  }
}
