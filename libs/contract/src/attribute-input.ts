/**
 * What an attribute definition may be, as the API checks it: the domain owns the rule, the
 * contract hands it to every client (the web console checks a form with it before sending).
 */
export {
  checkAttributeInput,
  DEFAULT_MAX_VALUES,
  MAX_DESCRIPTION_LENGTH,
  MAX_VALUES_LIMIT,
  MERGE_STRATEGIES,
  SCOPES as ATTRIBUTE_SCOPES,
  VALUE_TYPES,
} from '@cds/domain';
export type { ErrorDetail, MergeStrategy, Scope as AttributeScope, ValueType } from '@cds/domain';
