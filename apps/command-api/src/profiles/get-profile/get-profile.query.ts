import { Query } from '@nestjs/cqrs';
import { LogCut, LogPosition } from '@cds/application';
import { UnifiedProfile } from '@cds/domain';

export class GetProfileQuery extends Query<UnifiedProfile> {
  constructor(
    readonly tenant: string,
    readonly profileId: string,
    /** Wait (bounded) until the read model holds this log position. */
    readonly waitFor: LogPosition | undefined,
    /** The profile as it was at this point of the log, folded from the log itself. */
    readonly asOf?: LogCut,
  ) {
    super();
  }
}
