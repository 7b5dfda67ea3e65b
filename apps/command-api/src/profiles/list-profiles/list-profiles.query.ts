import { Query } from '@nestjs/cqrs';
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
  ) {
    super();
  }
}
