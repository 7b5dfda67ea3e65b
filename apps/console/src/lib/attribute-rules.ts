import { ATTRIBUTE_SCOPES, AttributeScope, checkAttributeInput, ErrorDetail, MergeStrategy } from '@cds/contract';

/**
 * The checks the API makes on an attribute definition come from the API's contract, in its
 * words, so the form can say what is wrong before anything is sent. The API stays the judge:
 * whatever it answers is shown too.
 */
export { DEFAULT_MAX_VALUES, MAX_VALUES_LIMIT, MERGE_STRATEGIES, VALUE_TYPES } from '@cds/contract';
export const SCOPES: readonly AttributeScope[] = ATTRIBUTE_SCOPES;
type Scope = AttributeScope;

export const SCOPE_LABELS: Record<Scope, string> = {
  identity_attributes: 'Identity attributes',
  traits: 'Traits',
  application_data: 'Application data',
};

export const STRATEGY_HINTS: Record<MergeStrategy, string> = {
  combine: 'keeps every value from every device (needs multi-valued)',
  overwrite: 'the most recently merged device wins',
  oldest: 'the first value ever seen sticks',
  sum: 'adds numbers up across devices (single-valued integer or decimal)',
};

export interface AttributeInput {
  attribute_name?: unknown;
  value_type?: unknown;
  multi_valued?: unknown;
  merge_strategy?: unknown;
  max_values?: unknown;
  application_identifier?: unknown;
  description?: unknown;
}

export function checkAttribute(scope: Scope, input: AttributeInput): ErrorDetail[] {
  return checkAttributeInput(scope, input);
}

/** The field an API detail is about, without a batch index (`[0].merge_strategy` → `merge_strategy`). */
export function fieldOf(detail: ErrorDetail): string {
  return (detail.field ?? '').replace(/^\[\d+\]\.?/, '');
}
