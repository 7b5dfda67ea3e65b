import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Scope } from '@cds/domain';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { ScopePipe, TenantPipe } from '../../http/params';
import { ReadSchemaQuery } from './read-schema.query';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

@Controller('t/:org/cds/api/v1/profile-schema')
export class ReadSchemaController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScopes(SCOPES.schemaView)
  @ApiOperation({ summary: 'Read the whole profile schema' })
  @ApiOkResponse({ description: 'Definitions by scope.', schema: ref('schemas', 'ProfileSchema') })
  all(@Param('org', TenantPipe) org: string) {
    return this.queryBus.execute(new ReadSchemaQuery(org));
  }

  @Get(':scope')
  @RequireScopes(SCOPES.schemaView)
  @ApiOperation({ summary: 'Read the definitions of a scope' })
  @ApiOkResponse({ description: 'The definitions.', schema: { type: 'array', items: ref('schemas', 'AttributeDefinition') } })
  scope(@Param('org', TenantPipe) org: string, @Param('scope', ScopePipe) scope: Scope) {
    return this.queryBus.execute(new ReadSchemaQuery(org, scope));
  }

  @Get(':scope/:attributeId')
  @RequireScopes(SCOPES.schemaView)
  @ApiOperation({ summary: 'Read one attribute definition' })
  @ApiOkResponse({ description: 'The definition.', schema: ref('schemas', 'AttributeDefinition') })
  one(
    @Param('org', TenantPipe) org: string,
    @Param('scope', ScopePipe) scope: Scope,
    @Param('attributeId') attributeId: string,
  ) {
    return this.queryBus.execute(new ReadSchemaQuery(org, scope, attributeId));
  }
}
