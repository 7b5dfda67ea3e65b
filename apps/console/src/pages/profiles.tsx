import { useEffect, useState } from 'preact/hooks';
import { UnifiedProfile } from '../api/client';
import { Field } from '../components/field';
import { Link } from '../components/link';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { PageHeader } from '../components/page-header';
import { ScopeGate } from '../components/scope-gate';
import { useApp } from '../lib/app-context';
import { SCOPES } from '../lib/attribute-rules';
import { formatTime, formatValue, pluralize, shortId } from '../lib/format';
import { isProfileId, PROFILE_ID_PROBLEM } from '../lib/profile-id';
import { href, navigate } from '../lib/router';
import { SCOPE } from '../lib/scopes';
import { useResource } from '../lib/use-resource';

const OPERATORS = [
  { value: 'eq', label: 'equals' },
  { value: 'co', label: 'contains' },
  { value: 'sw', label: 'starts with' },
];
const PAGE_SIZES = [10, 20, 50, 100];

interface Condition {
  attribute: string;
  operator: string;
  value: string;
}

export function parseCondition(filter: string): Condition {
  const match = filter.trim().match(/^(\S+)\s+(eq|co|sw)\s+(.*)$/);
  return match ? { attribute: match[1], operator: match[2], value: match[3] } : { attribute: filter, operator: 'eq', value: '' };
}

const blank = (): Condition => ({ attribute: 'user_id', operator: 'eq', value: '' });

/** Search and filter profiles: `GET /profiles?filter=…&page_size&cursor`; the URL holds the search. */
export function ProfilesPage({ query }: { query: URLSearchParams }) {
  const { api, can } = useApp();
  const filters = query.getAll('filter');
  const pageSize = PAGE_SIZES.includes(Number(query.get('page_size'))) ? Number(query.get('page_size')) : 20;
  const cursor = query.get('cursor') ?? undefined;
  const key = query.toString();
  const page = useResource(() => api.listProfiles({ filters, pageSize, ...(cursor ? { cursor } : {}) }), key, can(SCOPE.profileView));
  const [conditions, setConditions] = useState<Condition[]>(() => (filters.length > 0 ? filters.map(parseCondition) : [blank()]));
  const [size, setSize] = useState(pageSize);
  const [history, setHistory] = useState<string[]>([]);
  const paths = useResource(async () => {
    const schema = await Promise.all(SCOPES.map((s) => api.listAttributes(s)));
    return schema.flat().map((d) => (d.scope === 'application_data' ? `application_data.${d.application_identifier}.${d.name}` : d.attribute_name));
  }, 'filter-paths', can(SCOPE.schemaView));

  // Back and forward change the URL: the form follows it.
  useEffect(() => {
    setConditions(filters.length > 0 ? filters.map(parseCondition) : [blank()]);
    setSize(pageSize);
  }, [query.getAll('filter').join('\n'), pageSize]);

  const search = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const c of conditions) if (c.attribute.trim() && c.value.trim()) params.append('filter', `${c.attribute.trim()} ${c.operator} ${c.value.trim()}`);
    params.set('page_size', String(size));
    setHistory([]);
    navigate(href('/profiles', params));
  };

  const goTo = (next?: string, back = false) => {
    const params = new URLSearchParams(query);
    if (next) params.set('cursor', next);
    else params.delete('cursor');
    setHistory((h) => (back ? h.slice(0, -1) : [...h, cursor ?? '']));
    navigate(href('/profiles', params));
  };

  const change = (i: number, patch: Partial<Condition>) => setConditions((cs) => cs.map((c, n) => (n === i ? { ...c, ...patch } : c)));

  return (
    <>
      <PageHeader title="Profiles" lead="Find unified profiles by profile_id, user_id or any defined attribute, then open one to see its attributes, merge lineage and history." />
      <OpenById />
      <ScopeGate scope={SCOPE.profileView} what="search profiles">
        <form class="card form filters" onSubmit={search} role="search" aria-label="Filter profiles">
          <fieldset>
            <legend>Conditions (all must hold)</legend>
            <datalist id="filter-paths">
              <option value="profile_id" />
              <option value="user_id" />
              {(paths.data ?? []).map((p) => (
                <option key={p} value={p} />
              ))}
            </datalist>
            {conditions.map((c, i) => (
              <div class="condition" key={i}>
                <Field id={`filter-attr-${i}`} label="Attribute">
                  <input id={`filter-attr-${i}`} list="filter-paths" value={c.attribute} autocapitalize="off" spellcheck={false} onInput={(e) => change(i, { attribute: e.currentTarget.value })} />
                </Field>
                <Field id={`filter-op-${i}`} label="Operator">
                  <select id={`filter-op-${i}`} value={c.operator} onChange={(e) => change(i, { operator: e.currentTarget.value })}>
                    {OPERATORS.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label} ({o.value})
                      </option>
                    ))}
                  </select>
                </Field>
                <Field id={`filter-value-${i}`} label="Value">
                  <input id={`filter-value-${i}`} value={c.value} autocapitalize="off" spellcheck={false} onInput={(e) => change(i, { value: e.currentTarget.value })} />
                </Field>
                {conditions.length > 1 && (
                  <button type="button" class="icon-button remove-condition" aria-label={`Remove condition ${i + 1}`} onClick={() => setConditions((cs) => cs.filter((_, n) => n !== i))}>
                    ×
                  </button>
                )}
              </div>
            ))}
            <button type="button" class="link-button" onClick={() => setConditions((cs) => [...cs, blank()])}>
              + Add condition
            </button>
          </fieldset>
          <div class="form-actions">
            <Field id="page-size" label="Per page">
              <select id="page-size" value={size} onChange={(e) => setSize(Number(e.currentTarget.value))}>
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" class="button primary">
              Search
            </button>
            {filters.length > 0 && (
              <Link class="button ghost" href={href('/profiles')}>
                Clear
              </Link>
            )}
          </div>
        </form>
        {page.error !== undefined ? (
          <ErrorNotice error={page.error} onRetry={page.reload} />
        ) : page.data === undefined ? (
          <Loading label="Searching…" />
        ) : page.data.profiles.length === 0 ? (
          filters.length > 0 ? (
            <EmptyState title="No profile matches">
              <p>
                Nothing matches {filters.map((f) => `“${f}”`).join(' and ')}. Matching is exact and case-sensitive for eq; co and sw work on text attributes.
              </p>
            </EmptyState>
          ) : (
            <EmptyState title={cursor ? 'No more profiles' : 'No profiles yet'}>
              <p>Profiles appear when your applications create them (POST /profiles) or send activity.</p>
            </EmptyState>
          )
        ) : (
          <>
            <p class="muted small" role="status">
              {pluralize(page.data.profiles.length, 'profile')} on this page{page.data.nextCursor ? '; more on the next' : ''}.
            </p>
            <ProfileTable profiles={page.data.profiles} />
            <div class="pager">
              {cursor && (
                <button type="button" class="button" onClick={() => goTo(history[history.length - 1] || undefined, true)}>
                  ← Previous page
                </button>
              )}
              {page.data.nextCursor && (
                <button type="button" class="button" onClick={() => goTo(page.data!.nextCursor)}>
                  Next page →
                </button>
              )}
            </div>
          </>
        )}
      </ScopeGate>
    </>
  );
}

function ProfileTable({ profiles }: { profiles: UnifiedProfile[] }) {
  return (
    <table class="table responsive profiles-table" aria-label="Profiles">
      <thead>
        <tr>
          <th scope="col">Profile</th>
          <th scope="col">User ID</th>
          <th scope="col">Merged in</th>
          <th scope="col">Attributes</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {profiles.map((p) => {
          const attributes = [...Object.entries(p.identity_attributes ?? {}), ...Object.entries(p.traits ?? {})];
          return (
            <tr key={p.profile_id} data-profile-id={p.profile_id}>
              <th scope="row" data-label="Profile">
                <Link href={href(`/profiles/${p.profile_id}`)} aria-label={`Open profile ${p.profile_id}`}>
                  <code>{shortId(p.profile_id)}</code>
                </Link>
                {p.verified && <span class="tag verified">verified</span>}
              </th>
              <td data-label="User ID">{p.user_id ?? <span class="muted">anonymous</span>}</td>
              <td data-label="Merged in">{p.merged_from?.length ? <span class="tag merged">{pluralize(p.merged_from.length, 'profile')}</span> : <span class="muted">—</span>}</td>
              <td data-label="Attributes" class="attr-summary">
                {attributes.length === 0 ? (
                  <span class="muted">none</span>
                ) : (
                  attributes.slice(0, 3).map(([k, v]) => (
                    <span key={k} class="kv">
                      <code>{k}</code> {truncate(formatValue(v), 40)}
                    </span>
                  ))
                )}
                {attributes.length > 3 && <span class="muted small"> +{attributes.length - 3} more</span>}
              </td>
              <td data-label="Updated">{formatTime(p.meta.updated_at)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Any profile id, a merged-away one too: the service answers with the profile it lives on in. */
function OpenById() {
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const open = (event: Event) => {
    event.preventDefault();
    const value = id.trim();
    if (!isProfileId(value)) {
      setProblem(PROFILE_ID_PROBLEM);
      document.getElementById('open-id')?.focus();
      return;
    }
    setProblem(undefined);
    navigate(href(`/profiles/${value.toLowerCase()}`));
  };
  return (
    <form class="open-by-id" onSubmit={open} noValidate>
      <Field id="open-id" label="Open a profile by id" problem={problem}>
        <div class="inline-form">
          <input id="open-id" value={id} placeholder="profile id" autocapitalize="off" spellcheck={false} onInput={(e) => setId(e.currentTarget.value)} aria-invalid={problem ? true : undefined} aria-describedby="open-id-problem" />
          <button type="submit" class="button">
            Open
          </button>
        </div>
      </Field>
    </form>
  );
}
