import { Command } from '@nestjs/cqrs';
import { WriteSource } from '@cds/domain';
import { WriteContext } from '../../http/request-context';
import { ProfileWriteResult } from '../shared/write-result';

/** Shared by HTTP PATCH and Kafka activity: both are "write these attribute values". */
export class PatchProfileCommand extends Command<ProfileWriteResult> {
  constructor(
    readonly tenant: string,
    readonly profileId: string,
    readonly body: unknown,
    readonly source: WriteSource,
    readonly write: WriteContext,
  ) {
    super();
  }
}
