import { Query } from '@nestjs/cqrs';
import { AttributeDefinition, Scope } from '@cds/domain';

/** All definitions, those of one scope, or one attribute. */
export class ReadSchemaQuery extends Query<AttributeDefinition[] | AttributeDefinition | Record<Scope, AttributeDefinition[]>> {
  constructor(readonly tenant: string, readonly scope?: Scope, readonly attributeId?: string) {
    super();
  }
}
