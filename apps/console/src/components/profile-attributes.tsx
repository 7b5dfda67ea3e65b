import type { UnifiedProfile } from '../api/client';
import { formatValue } from '../lib/format';

type Values = Record<string, unknown>;

const canonical = (value: unknown) => JSON.stringify(value ?? null);

/** A profile's attributes by scope; with `compare`, values that differ from it are marked. */
export function ProfileAttributes({ profile, compare, idPrefix }: { profile: UnifiedProfile; compare?: UnifiedProfile; idPrefix: string }) {
  const apps = Object.keys(profile.application_data ?? {}).sort();
  return (
    <div class="scopes-grid">
      <ScopeValues title="Identity attributes" values={profile.identity_attributes} before={compare?.identity_attributes} id={`${idPrefix}-identity`} />
      <ScopeValues title="Traits" values={profile.traits} before={compare?.traits} id={`${idPrefix}-traits`} />
      <section class="scope-block" aria-labelledby={`${idPrefix}-app`}>
        <h3 id={`${idPrefix}-app`}>Application data</h3>
        {apps.length === 0 ? (
          <p class="muted small">No application data.</p>
        ) : (
          apps.map((app) => (
            <div key={app} class="app-block">
              <h4>
                <code>{app}</code>
              </h4>
              <ValueList values={profile.application_data[app]} before={compare ? (compare.application_data?.[app] ?? {}) : undefined} />
            </div>
          ))
        )}
      </section>
    </div>
  );
}

function ScopeValues({ title, values, before, id }: { title: string; values: Values; before?: Values; id: string }) {
  return (
    <section class="scope-block" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {Object.keys(values ?? {}).length === 0 ? <p class="muted small">No {title.toLowerCase()}.</p> : <ValueList values={values} before={before} />}
    </section>
  );
}

function ValueList({ values, before }: { values: Values; before?: Values }) {
  return (
    <dl class="values">
      {Object.keys(values)
        .sort()
        .map((key) => {
          const value = values[key];
          const changed = before !== undefined && canonical(before[key]) !== canonical(value);
          return (
            <div key={key} class={`value-row${changed ? ' changed' : ''}`} data-attribute={key}>
              <dt>
                <code>{key}</code>
                {changed && <span class="tag changed-tag">differs from now</span>}
              </dt>
              <dd>
                {Array.isArray(value) ? (
                  <ul class="chips">
                    {value.map((item, i) => (
                      <li key={i} class="chip">
                        {formatValue(item)}
                      </li>
                    ))}
                  </ul>
                ) : value !== null && typeof value === 'object' ? (
                  <pre class="json">{JSON.stringify(value, null, 2)}</pre>
                ) : (
                  formatValue(value)
                )}
              </dd>
            </div>
          );
        })}
    </dl>
  );
}
