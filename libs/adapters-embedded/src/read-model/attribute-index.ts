/**
 * The attribute index of the SQLite read model: which entries an active profile has under an
 * attribute path, and which of a list query's filters narrows the candidates best. The index only
 * narrows: every candidate is checked again with the filters' one definition (`matchesAll`), so
 * an entry may be coarse (long values are cut) but must never miss a profile that matches.
 */
import { canonicalJson, JsonValue, ProfileState } from '@cds/domain';
import { AttributePath, CompiledFilter, parseAttributePath, valueAt } from '@cds/application';

/** s: string, n: number, b: boolean (0/1), j: an object (canonical JSON). */
export type EntryKind = 's' | 'n' | 'b' | 'j';

export interface IndexEntry {
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

function entryOf(value: JsonValue): IndexEntry | null {
  switch (typeof value) {
    case 'string':
      return { kind: 's', value: cut(value) };
    case 'number':
      return { kind: 'n', value };
    case 'boolean':
      return { kind: 'b', value: value ? 1 : 0 };
    default:
      return value === null || Array.isArray(value) ? null : { kind: 'j', value: cut(canonicalJson(value)) };
  }
}

const parsedPaths = new Map<string, AttributePath>();

function parsed(path: string): AttributePath {
  let found = parsedPaths.get(path);
  if (found === undefined) {
    found = parseAttributePath(path);
    parsedPaths.set(path, found);
  }
  return found;
}

/**
 * A profile's entries under a path: its value, or for a list each element (`eq` matches any
 * element, `co` and `sw` any string element). None unless the profile is active: only active
 * profiles are listed. A list as a whole has no entry; `eq` with a whole list is answered by a scan.
 */
export function entriesAt(state: ProfileState, path: string): IndexEntry[] {
  if (state.status !== 'active') return [];
  const value = valueAt(state, parsed(path));
  if (value === undefined) return [];
  const entries: IndexEntry[] = [];
  for (const element of Array.isArray(value) ? value : [value]) {
    const entry = entryOf(element);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** One string per entry, for telling which entries a new version of a profile adds and drops. */
export const entryKey = (entry: IndexEntry): string => `${entry.kind}\u0000${entry.value}`;

/** How the candidates of a list query are found. */
export type CandidateSource =
  /** A filter that matches nothing (`co`/`sw` with a non-string value). */
  | { kind: 'nothing' }
  | { kind: 'profile'; profileId: string }
  | { kind: 'exact'; path: string; entry: IndexEntry }
  /** String entries in [from, to): the ones starting with a prefix. */
  | { kind: 'prefix'; path: string; from: string; to: string }
  /** Profiles whose stored JSON text contains `text`. */
  | { kind: 'contains'; text: string }
  | { kind: 'all' };

/**
 * The upper bound of a prefix range: every string starting with `p` sorts before `p` followed by
 * the largest code point, except those where that code point itself follows `p` (a noncharacter).
 */
const MAX_CODE_POINT = '\u{10FFFF}';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const RANK: Record<CandidateSource['kind'], number> = { nothing: 0, profile: 1, exact: 2, prefix: 3, contains: 4, all: 5 };

function sourceOf({ path, filter }: CompiledFilter): CandidateSource {
  const value = filter.value;
  switch (filter.operator) {
    case 'eq': {
      if (path.kind === 'profile_id') return typeof value === 'string' ? { kind: 'profile', profileId: value } : { kind: 'nothing' };
      const entry = entryOf(value);
      return entry === null ? { kind: 'all' } : { kind: 'exact', path: filter.path, entry };
    }
    case 'sw': {
      if (typeof value !== 'string') return { kind: 'nothing' };
      if (path.kind === 'profile_id') return { kind: 'all' };
      const from = cut(value);
      // A prefix with a lone surrogate cannot bound a range of whole characters.
      return LONE_SURROGATE.test(from) ? { kind: 'all' } : { kind: 'prefix', path: filter.path, from, to: `${from}${MAX_CODE_POINT}` };
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
export function candidateSource(filters: CompiledFilter[]): CandidateSource {
  let best: CandidateSource = { kind: 'all' };
  for (const filter of filters) {
    const source = sourceOf(filter);
    if (RANK[source.kind] < RANK[best.kind]) best = source;
  }
  return best;
}
