import { Document } from 'mongodb';
import { isPlainObject } from '@cds/domain';
import { CompiledFilter, stateFieldOf } from '@cds/application';

/** Escapes every regex metacharacter (PCRE and Java alike), so the text matches literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/#-]/g, '\\$&').replace(/\u0000/g, '\\x00');
}

/** The field of the stored document a filter path reads. */
export const mongoFieldOf = (filter: CompiledFilter): string => `state.${stateFieldOf(filter.path)}`;

/**
 * A server-side condition that selects at least every document the filter matches:
 * - a Document: the condition to AND in;
 * - `undefined`: nothing the server can narrow safely, the read model's own check decides;
 * - `false`: the filter can match nothing.
 *
 * It may select more than the filter means: mongo-java-server applies `$regex` to numbers,
 * booleans and nested values too, and MongoDB compares embedded objects by key order. The read
 * model re-checks every candidate with the shared predicate, so these never leak out.
 */
export function mongoConditionOf(compiled: CompiledFilter): Document | undefined | false {
  const { operator, value } = compiled.filter;
  const field = mongoFieldOf(compiled);
  switch (operator) {
    case 'eq':
      // Objects and arrays: MongoDB's equality depends on key order, ours does not.
      if (Array.isArray(value) || isPlainObject(value)) return undefined;
      return { [field]: value };
    case 'co':
    case 'sw':
      if (typeof value !== 'string') return false;
      return { [field]: { $regex: `${operator === 'sw' ? '^' : ''}${escapeRegex(value)}` } };
  }
}
