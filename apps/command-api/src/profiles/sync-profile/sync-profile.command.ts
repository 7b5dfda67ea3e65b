import { Command } from '@nestjs/cqrs';
import { WriteContext } from '../../http/request-context';
import { ProfileWriteResult } from '../shared/write-result';

/** Sign-in, from HTTP or the Kafka identity topic. */
export class SyncProfileCommand extends Command<ProfileWriteResult> {
  constructor(
    readonly tenant: string,
    readonly userId: string,
    readonly tracker: string,
    readonly write: WriteContext,
  ) {
    super();
  }
}
