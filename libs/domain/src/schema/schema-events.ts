import { AttributeDefinition } from './attribute';

/** Events of a tenant's attribute schema stream (`schema-<tenant>`). */
export type AttributeDefined = {
  type: 'AttributeDefined';
  data: { definition: AttributeDefinition; at: string };
};
export type AttributeRedefined = {
  type: 'AttributeRedefined';
  data: { definition: AttributeDefinition; at: string };
};
export type AttributeRemoved = {
  type: 'AttributeRemoved';
  data: { attribute_id: string; at: string };
};

export type SchemaEvent = AttributeDefined | AttributeRedefined | AttributeRemoved;
export const SCHEMA_EVENT_TYPES: ReadonlyArray<SchemaEvent['type']> = [
  'AttributeDefined',
  'AttributeRedefined',
  'AttributeRemoved',
];
