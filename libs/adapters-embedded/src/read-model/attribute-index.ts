/**
 * The attribute index of the SQLite read model: which rows an active profile contributes, and
 * which of a list query's filters narrows the candidates best. The index only narrows: every
 * candidate is checked again with the filters' one definition (`matchesAll`), so an index entry
 * may be coarse (long values are cut, complex values compare by path only) but must never miss
 * a profile that matches.
 */
import { canonicalJson, JsonValue, ProfileState } from '@cds/domain';
import { CompiledFilter, stateFieldOf } from '@cds/application';

/** s: string, n: number, b: boolean (0/1), j: object or array as a whole (canonical JSON). */
export type EntryKind = 's' | 'n' | 'b' | 'j';

export interface IndexEntry {
  path: string;
  kind: EntryKind;
  value: string | number;
}

/** Longer strings are indexed by their first code units; the check after the lookup sees them whole. */
export const INDEXED_LENGTH = 128;

function cut(text: string): string {
  if (text.length <= INDEXED_LENGTH) return text;
  // Never split a surrogate pair: both sides of a lookup cut the same way.
  const end = /[\uD800-\uDBFF]/.test(text[INDEXED_LENGTH - 1]) ? INDEXED_LENGTH - 1 : INDEXED_LENGTH;
  return text.slice(0, end);
}

function scalarEntry(path: string, value: JsonValue): IndexEntry | null {
  switch (typeof value) {
    case 'string':
      return { path, kind: 's', value: cut(value) };
    case 'number':
      return { path, kind: 'n', value };
    case 'boolean':
      return { path, kind: 'b', value: value ? 1 : 0 };
    default:
      return value === null ? null : { path, kind: 'j', value: cut(canonicalJson(value)) };
  }
}

function pushValue(entries: IndexEntry[], path: string, value: JsonValue): void {
  const whole = scalarEntry(path, value);
  if (whole) entries.push(whole);
  // `eq` on a multi-valued attribute matches any element, `co` and `sw` any string element.
  if (Array.isArray(value)) {
    for (const element of value) {
      const entry = scalarEntry(path, element);
      if (entry) entries.push(entry);
    }
  }
}

/** Every entry of a profile; none unless it is active (only active profiles are listed). */
export function indexEntriesOf(state: ProfileState): IndexEntry[] {
  const entries: IndexEntry[] = [];
  if (state.status !== 'active') return entries;
  if (typeof state.user_id === 'string') entries.push({ path: 'user_id', kind: 's', value: cut(state.user_id) });
  const { identity_attributes, traits, application_data } = state.attributes;
  for (const name of Object.keys(identity_attributes)) pushValue(entries, `identity_attributes.${name}`, identity_attributes[name]);
  for (const name of Object.keys(traits)) pushValue(entries, `traits.${name}`, traits[name]);
  for (const app of Object.keys(application_data)) {
    const values = application_data[app];
    for (const name of Object.keys(values)) pushValue(entries, `application_data.${app}.${name}`, values[name]);
  }
  return entries;
}

/** How the candidates of a list query are found. */
export type CandidateSource =
  /** A filter that matches nothing (`co`/`sw` with a non-string value). */
  | { kind: 'nothing' }
  | { kind: 'profile'; profileId: string }
  | { kind: 'exact'; entry: IndexEntry }
  /** String entries in [from, to): the ones starting with a prefix. */
  | { kind: 'prefix'; path: string; from: string; to: string }
  /** Profiles whose stored JSON text contains `text`. */
  | { kind: 'contains'; text: string }
  | { kind: 'all' };

/** The largest code point: a string starting with `p` sorts before `p + MAX` unless MAX itself follows `p`. */
const MAX_CODE_POINT = '\u{10FFFF}';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const RANK: Record<CandidateSource['kind'], number> = { nothing: 0, profile: 1, exact: 2, prefix: 3, contains: 4, all: 5 };

function sourceOf({ path, filter }: CompiledFilter): CandidateSource {
  const field = stateFieldOf(path);
  const indexedPath = field.startsWith('attributes.') ? field.slice('attributes.'.length) : field;
  const value = filter.value;
  switch (filter.operator) {
    case 'eq':
      if (path.kind === 'profile_id') return typeof value === 'string' ? { kind: 'profile', profileId: value } : { kind: 'nothing' };
      if (value === null) return { kind: 'all' };
      return { kind: 'exact', entry: scalarEntry(indexedPath, value)! };
    case 'sw': {
      if (typeof value !== 'string') return { kind: 'nothing' };
      if (path.kind === 'profile_id') return { kind: 'all' };
      const from = cut(value);
      // A prefix that ends in a high surrogate cannot bound a range of whole characters.
      return LONE_SURROGATE.test(from) ? { kind: 'all' } : { kind: 'prefix', path: indexedPath, from, to: `${from}${MAX_CODE_POINT}` };
    }
    case 'co': {
      if (typeof value !== 'string') return { kind: 'nothing' };
      // JSON escapes characters one by one, so the escaped needle is in the escaped text of any
      // string containing it (lone surrogates aside, which are escaped only when alone).
      return LONE_SURROGATE.test(value) ? { kind: 'all' } : { kind: 'contains', text: JSON.stringify(value).slice(1, -1) };
    }
  }
}

/** The filter that narrows best: an exact entry before a prefix range before a text search. */
export function candidateSource(filters: CompiledFilter[], indexed: boolean): CandidateSource {
  let best: CandidateSource = { kind: 'all' };
  for (const filter of filters) {
    let source = sourceOf(filter);
    if (!indexed && (source.kind === 'exact' || source.kind === 'prefix')) source = { kind: 'all' };
    if (RANK[source.kind] < RANK[best.kind]) best = source;
  }
  return best;
}
