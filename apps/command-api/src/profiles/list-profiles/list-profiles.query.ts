import { Query } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { UnifiedProfile } from '@cds/domain';

export interface ProfileList {
  profiles: UnifiedProfile[];
  pagination: { page_size: number; count: number; next_cursor?: string };
}

export class ListProfilesQuery extends Query<ProfileList> {
  constructor(
    readonly tenant: string,
    readonly filters: string[],
    readonly pageSize: number,
    readonly cursor: string | undefined,
    /** Wait (bounded) until the read model holds this log position. */
    readonly waitFor?: LogPosition,
  ) {
    super();
  }
}
