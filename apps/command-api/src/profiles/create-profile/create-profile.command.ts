import { Command } from '@nestjs/cqrs';
import { WriteContext } from '../../http/request-context';
import { ProfileWriteResult } from '../shared/write-result';
import { CreateProfileBody } from './create-profile.body';

export class CreateProfileCommand extends Command<ProfileWriteResult & { created: boolean }> {
  constructor(
    readonly tenant: string,
    readonly body: CreateProfileBody,
    /** The tracker from the browser's cds_profile cookie, if it sent one. */
    readonly cookieTracker: string | undefined,
    readonly write: WriteContext,
  ) {
    super();
  }
}
