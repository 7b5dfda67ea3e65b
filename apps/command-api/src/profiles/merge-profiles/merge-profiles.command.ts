import { Command } from '@nestjs/cqrs';
import { WriteContext } from '../../http/request-context';
import { ProfileWriteResult } from '../shared/write-result';

/** By hand: `otherId` merges into `profileId`, which survives. */
export class MergeProfilesCommand extends Command<ProfileWriteResult> {
  constructor(
    readonly tenant: string,
    readonly profileId: string,
    readonly otherId: string,
    readonly write: WriteContext,
  ) {
    super();
  }
}
