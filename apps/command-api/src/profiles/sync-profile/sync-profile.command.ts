import { Command } from '@nestjs/cqrs';
import { WriteContext } from '../../http/request-context';
import { ProfileWriteResult } from '../shared/write-result';
import { SyncRequest } from './sync-profile.dto';

/** Sign-in and the identity provider's lifecycle events, from HTTP or the Kafka identity topic. Null: nothing to answer with (an erasure). */
export class SyncProfileCommand extends Command<ProfileWriteResult | null> {
  constructor(
    readonly tenant: string,
    readonly request: SyncRequest,
    readonly write: WriteContext,
  ) {
    super();
  }
}
