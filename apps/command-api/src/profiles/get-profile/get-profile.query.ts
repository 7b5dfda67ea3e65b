import { Query } from '@nestjs/cqrs';
import { LogPosition } from '@cds/application';
import { UnifiedProfile } from '@cds/domain';

export class GetProfileQuery extends Query<UnifiedProfile> {
  constructor(
    readonly tenant: string,
    readonly profileId: string,
    /** Wait (bounded) until the read model holds this log position. */
    readonly waitFor: LogPosition | undefined,
  ) {
    super();
  }
}
