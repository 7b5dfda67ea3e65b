import { Module } from '@nestjs/common';
import { DefineAttributesController } from './define-attributes/define-attributes.controller';
import { DefineAttributesHandler } from './define-attributes/define-attributes.handler';
import { DeleteAttributeController } from './delete-attribute/delete-attribute.controller';
import { DeleteAttributeHandler } from './delete-attribute/delete-attribute.handler';
import { ReadSchemaController } from './read-schema/read-schema.controller';
import { ReadSchemaHandler } from './read-schema/read-schema.handler';
import { UpdateAttributeController } from './update-attribute/update-attribute.controller';
import { UpdateAttributeHandler } from './update-attribute/update-attribute.handler';

@Module({
  controllers: [DefineAttributesController, ReadSchemaController, UpdateAttributeController, DeleteAttributeController],
  providers: [DefineAttributesHandler, ReadSchemaHandler, UpdateAttributeHandler, DeleteAttributeHandler],
})
export class ProfileSchemaModule {}
