import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PROFILE_READ_MODEL, ProfileReadModel, SchemaService } from '@cds/application';
import { isUuid, toUnifiedProfile, validationError } from '@cds/domain';
import { ReadModelCatchUp } from '../../infrastructure/read-model-catch-up';
import { READ_MODEL_CATCH_UP } from '../../infrastructure/tokens';
import { waitForPosition } from '../shared/wait-for-position';
import { ListProfilesQuery } from './list-profiles.query';
import { parseFilter } from './profile-filter';

@QueryHandler(ListProfilesQuery)
export class ListProfilesHandler implements IQueryHandler<ListProfilesQuery> {
  constructor(
    @Inject(PROFILE_READ_MODEL) private readonly readModel: ProfileReadModel,
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(READ_MODEL_CATCH_UP) private readonly catchUp: ReadModelCatchUp,
  ) {}

  async execute({ tenant, filters, pageSize, cursor, waitFor }: ListProfilesQuery) {
    await waitForPosition(this.catchUp, waitFor);
    const schema = await this.schema.current(tenant);
    const page = await this.readModel.list(tenant, {
      filters: filters.map((f) => parseFilter(f, schema)),
      pageSize,
      ...(cursor !== undefined ? { after: decodeCursor(cursor) } : {}),
    });
    return {
      profiles: page.items.map((doc) => toUnifiedProfile(tenant, doc.state)),
      pagination: {
        page_size: pageSize,
        count: page.items.length,
        ...(page.nextAfter ? { next_cursor: Buffer.from(page.nextAfter).toString('base64url') } : {}),
      },
    };
  }
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw validationError('invalid_cursor', 'The cursor is not one this service gave out');
  return id;
}
