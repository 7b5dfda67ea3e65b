import { Command } from '@nestjs/cqrs';
import { WriteContext } from '../../http/request-context';
import { ProfileWriteResult } from '../shared/write-result';

/** `mergedId`, merged into `profileId`, is split off again. */
export class UnmergeProfileCommand extends Command<ProfileWriteResult> {
  constructor(
    readonly tenant: string,
    readonly profileId: string,
    readonly mergedId: string,
    readonly write: WriteContext,
  ) {
    super();
  }
}
