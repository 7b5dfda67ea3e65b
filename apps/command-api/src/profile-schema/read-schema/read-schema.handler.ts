import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { SchemaService } from '@cds/application';
import { AttributeDefinition, definitionsInScope, notFound, Scope, SCOPES } from '@cds/domain';
import { ReadSchemaQuery } from './read-schema.query';

/** Served from the schema stream itself: definitions are read right after they are written. */
@QueryHandler(ReadSchemaQuery)
export class ReadSchemaHandler implements IQueryHandler<ReadSchemaQuery> {
  constructor(@Inject(SchemaService) private readonly schema: SchemaService) {}

  async execute({ tenant, scope, attributeId }: ReadSchemaQuery) {
    const state = await this.schema.current(tenant);
    if (attributeId !== undefined) {
      const def = state.byId.get(attributeId);
      if (!def || def.scope !== scope) throw notFound('attribute_not_found', `No attribute ${attributeId} in ${scope}`);
      return def;
    }
    if (scope !== undefined) return definitionsInScope(state, scope);
    return Object.fromEntries(SCOPES.map((s) => [s, definitionsInScope(state, s)])) as Record<Scope, AttributeDefinition[]>;
  }
}
