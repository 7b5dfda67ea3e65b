import { useState } from 'preact/hooks';
import { ApiError, AttributeDefinition, ErrorDetail, Scope } from '../api/client';
import { ConfirmDialog, Dialog } from '../components/dialog';
import { describedBy, Field } from '../components/field';
import { Link } from '../components/link';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { PageHeader } from '../components/page-header';
import { ScopeGate } from '../components/scope-gate';
import { announce } from '../lib/announce';
import { useApp } from '../lib/app-context';
import {
  AttributeInput,
  checkAttribute,
  DEFAULT_MAX_VALUES,
  fieldOf,
  MERGE_STRATEGIES,
  SCOPE_LABELS,
  SCOPES,
  STRATEGY_HINTS,
  VALUE_TYPES,
} from '../lib/attribute-rules';
import { describeScope, SCOPE } from '../lib/scopes';
import { href } from '../lib/router';
import { useResource } from '../lib/use-resource';

const SCOPE_LEADS: Record<Scope, string> = {
  identity_attributes: 'Who the person is: e-mail, phone, member ids. Unification rules match on these.',
  traits: 'Profile-wide facts and activity, shared by all your applications.',
  application_data: "Data that means something to one application only, kept under that application's client id.",
};

export function AttributesPage({ query }: { query: URLSearchParams }) {
  const raw = query.get('scope');
  const scope: Scope = raw && (SCOPES as readonly string[]).includes(raw) ? (raw as Scope) : 'traits';
  const { api, can } = useApp();
  const manage = can(SCOPE.schemaManage);
  const list = useResource(() => api.listAttributes(scope), scope, can(SCOPE.schemaView));
  const [editing, setEditing] = useState<{ mode: 'new' } | { mode: 'edit'; definition: AttributeDefinition } | null>(null);
  const [deleting, setDeleting] = useState<AttributeDefinition | null>(null);

  const newButton = (
    <button type="button" class="button primary" disabled={!manage} onClick={() => setEditing({ mode: 'new' })} aria-describedby={manage ? undefined : 'manage-note'}>
      New attribute
    </button>
  );

  return (
    <>
      <PageHeader
        title="Profile attributes"
        lead="An attribute is defined before profiles can hold it: its value type, whether it holds many values, and how two values combine when profiles merge."
        actions={newButton}
      />
      {!manage && (
        <p class="notice notice-info small" id="manage-note">
          You can look but not change: your sign-in lacks the scope to {describeScope(SCOPE.schemaManage)}.
        </p>
      )}
      <nav class="segmented" aria-label="Attribute scope">
        {SCOPES.map((s) => (
          <Link key={s} href={href('/attributes', { scope: s })} aria-current={s === scope ? 'page' : undefined}>
            {SCOPE_LABELS[s]}
          </Link>
        ))}
      </nav>
      <p class="muted">{SCOPE_LEADS[scope]}</p>
      <ScopeGate scope={SCOPE.schemaView} what="see profile attributes">
        {list.error !== undefined ? (
          <ErrorNotice error={list.error} onRetry={list.reload} />
        ) : list.data === undefined ? (
          <Loading label="Loading attributes…" />
        ) : list.data.length === 0 ? (
          <EmptyState title={`No ${SCOPE_LABELS[scope].toLowerCase()} yet`} action={manage ? newButton : undefined}>
            <p>Profiles can only hold values in attributes defined here; a write to an undefined attribute is rejected.</p>
          </EmptyState>
        ) : (
          <AttributeTable
            scope={scope}
            definitions={list.data}
            manage={manage}
            onEdit={(definition) => setEditing({ mode: 'edit', definition })}
            onDelete={setDeleting}
          />
        )}
      </ScopeGate>
      {editing && (
        <AttributeForm
          scope={editing.mode === 'edit' ? editing.definition.scope : scope}
          definition={editing.mode === 'edit' ? editing.definition : undefined}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null);
            announce(`${saved.attribute_name} ${created ? 'defined' : 'saved'}`);
            list.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteAttribute
          definition={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            announce(`${deleting.attribute_name} deleted`);
            setDeleting(null);
            list.reload();
          }}
        />
      )}
    </>
  );
}

function AttributeTable(props: {
  scope: Scope;
  definitions: AttributeDefinition[];
  manage: boolean;
  onEdit: (d: AttributeDefinition) => void;
  onDelete: (d: AttributeDefinition) => void;
}) {
  const app = props.scope === 'application_data';
  return (
    <table class="table responsive" aria-label={SCOPE_LABELS[props.scope]}>
      <thead>
        <tr>
          <th scope="col">Attribute</th>
          {app && <th scope="col">Application</th>}
          <th scope="col">Value type</th>
          <th scope="col">Multi-valued</th>
          <th scope="col">Merge strategy</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.definitions.map((d) => (
          <tr key={d.attribute_id} data-attribute={d.attribute_name}>
            <th scope="row" data-label="Attribute">
              <code>{d.attribute_name}</code>
              {d.description && <span class="muted block small">{d.description}</span>}
            </th>
            {app && (
              <td data-label="Application">
                <code>{d.application_identifier}</code>
              </td>
            )}
            <td data-label="Value type">{d.value_type}</td>
            <td data-label="Multi-valued">{d.multi_valued ? `yes, up to ${d.max_values ?? DEFAULT_MAX_VALUES}` : 'no'}</td>
            <td data-label="Merge strategy">
              <span class={`tag strategy-${d.merge_strategy}`}>{d.merge_strategy}</span>
            </td>
            <td class="row-actions">
              <button type="button" class="button small" disabled={!props.manage} onClick={() => props.onEdit(d)} aria-label={`Edit ${d.attribute_name}`}>
                Edit
              </button>
              <button type="button" class="button small danger-outline" disabled={!props.manage} onClick={() => props.onDelete(d)} aria-label={`Delete ${d.attribute_name}`}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface FormState {
  scope: Scope;
  name: string;
  valueType: string;
  multiValued: boolean;
  strategy: string;
  maxValues: string;
  appId: string;
  description: string;
}

function initialState(scope: Scope, d?: AttributeDefinition): FormState {
  return {
    scope: d?.scope ?? scope,
    name: d?.name ?? '',
    valueType: d?.value_type ?? 'string',
    multiValued: d?.multi_valued ?? false,
    strategy: d?.merge_strategy ?? 'overwrite',
    maxValues: d?.max_values !== undefined && d.max_values !== DEFAULT_MAX_VALUES ? String(d.max_values) : '',
    appId: d?.application_identifier ?? '',
    description: d?.description ?? '',
  };
}

function toInput(state: FormState): AttributeInput {
  const name = state.name.trim();
  const input: AttributeInput = {
    attribute_name: name,
    value_type: state.valueType,
    multi_valued: state.multiValued,
    merge_strategy: state.strategy,
  };
  if (state.maxValues.trim() !== '') {
    const n = Number(state.maxValues);
    input.max_values = Number.isFinite(n) ? n : state.maxValues;
  }
  if (state.scope === 'application_data') input.application_identifier = state.appId.trim();
  if (state.description.trim() !== '') input.description = state.description.trim();
  return input;
}

const FIELD_IDS: Record<string, string> = {
  attribute_name: 'attr-name',
  value_type: 'attr-type',
  multi_valued: 'attr-multi',
  merge_strategy: 'attr-strategy',
  max_values: 'attr-max',
  application_identifier: 'attr-app',
  description: 'attr-description',
};

/** New attribute / edit attribute: the API's checks run as you go, and the API's answer is shown by field. */
function AttributeForm({ scope, definition, onClose, onSaved }: { scope: Scope; definition?: AttributeDefinition; onClose: () => void; onSaved: (d: AttributeDefinition, created: boolean) => void }) {
  const { api } = useApp();
  const editing = definition !== undefined;
  const [state, setState] = useState<FormState>(() => initialState(scope, definition));
  const [tried, setTried] = useState(false);
  const [serverDetails, setServerDetails] = useState<ErrorDetail[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const local = tried ? checkAttribute(state.scope, toInput(state)) : [];
  const problems: Record<string, string[]> = {};
  const other: ErrorDetail[] = [];
  for (const detail of [...local, ...serverDetails]) {
    const field = fieldOf(detail);
    if (!FIELD_IDS[field]) other.push(detail);
    else if (!(problems[field] ??= []).includes(detail.reason)) problems[field].push(detail.reason);
  }
  const problem = (field: string) => problems[field]?.join('; ');

  const update = (change: Partial<FormState>) => {
    setState((s) => ({ ...s, ...change }));
    setServerDetails([]);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    setError(undefined);
    setServerDetails([]);
    const input = toInput(state);
    const found = checkAttribute(state.scope, input);
    if (found.length > 0) {
      focusFirst(found);
      announce(`${found.length === 1 ? 'One problem' : `${found.length} problems`} to fix`);
      return;
    }
    setBusy(true);
    try {
      const saved = editing ? await api.updateAttribute(definition.scope, definition.attribute_id, input) : await api.defineAttribute(state.scope, input);
      onSaved(saved, !editing);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError && failure.details.length > 0) {
        setServerDetails(failure.details);
        focusFirst(failure.details);
      }
    } finally {
      setBusy(false);
    }
  };

  const appData = state.scope === 'application_data';
  const fixed = editing ? 'Fixed once defined; define a new attribute to change it.' : undefined;
  const invalid = (field: string) => (problem(field) ? true : undefined);

  return (
    <Dialog title={editing ? `Edit ${definition.attribute_name}` : 'New attribute'} onClose={onClose} wide>
      <form class="form" onSubmit={submit} noValidate>
        {(other.length > 0 || (error !== undefined && serverDetails.length === 0)) && (
          <ErrorNotice error={error ?? new ApiError(400, 'invalid_attribute', 'The attribute definition is not valid', other)} compact />
        )}
        {!editing && (
          <Field id="attr-scope" label="Scope">
            <select id="attr-scope" value={state.scope} onChange={(e) => update({ scope: e.currentTarget.value as Scope })}>
              {SCOPES.map((s) => (
                <option key={s} value={s}>
                  {SCOPE_LABELS[s]} ({s})
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="attr-name" label="Attribute name" hint={fixed ?? 'A letter or _ then letters, digits or _, for example interests.'} problem={problem('attribute_name')}>
          <div class="prefixed">
            <span class="prefix" aria-hidden="true">
              {state.scope}.
            </span>
            <input
              id="attr-name"
              name="attribute_name"
              value={state.name}
              disabled={editing}
              autofocus={!editing}
              autocapitalize="off"
              spellcheck={false}
              onInput={(e) => update({ name: e.currentTarget.value })}
              aria-invalid={invalid('attribute_name')}
              aria-describedby={describedBy('attr-name')}
            />
          </div>
        </Field>
        {appData && (
          <Field id="attr-app" label="Application identifier" hint={fixed ?? "Your application's client id: letters, digits, _ and -."} problem={problem('application_identifier')}>
            <input id="attr-app" name="application_identifier" value={state.appId} disabled={editing} autocapitalize="off" spellcheck={false} onInput={(e) => update({ appId: e.currentTarget.value })} aria-invalid={invalid('application_identifier')} aria-describedby={describedBy('attr-app')} />
          </Field>
        )}
        <Field id="attr-type" label="Value type" hint={fixed} problem={problem('value_type')}>
          <select id="attr-type" name="value_type" value={state.valueType} disabled={editing} onChange={(e) => update({ valueType: e.currentTarget.value })} aria-invalid={invalid('value_type')} aria-describedby={describedBy('attr-type')}>
            {VALUE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="attr-multi"
          inline
          label="Multi-valued (a list of values)"
          hint={editing && definition.multi_valued ? 'A multi-valued attribute stays multi-valued: its stored values are lists.' : 'Required for combine.'}
          problem={problem('multi_valued')}
        >
          <input id="attr-multi" name="multi_valued" type="checkbox" checked={state.multiValued} disabled={editing && definition.multi_valued} onChange={(e) => update({ multiValued: e.currentTarget.checked })} aria-invalid={invalid('multi_valued')} aria-describedby={describedBy('attr-multi')} />
        </Field>
        <Field id="attr-strategy" label="Merge strategy" hint={(MERGE_STRATEGIES as readonly string[]).includes(state.strategy) ? STRATEGY_HINTS[state.strategy as keyof typeof STRATEGY_HINTS] : undefined} problem={problem('merge_strategy')}>
          <select id="attr-strategy" name="merge_strategy" autofocus={editing} value={state.strategy} onChange={(e) => update({ strategy: e.currentTarget.value })} aria-invalid={invalid('merge_strategy')} aria-describedby={describedBy('attr-strategy')}>
            {MERGE_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        {state.multiValued && (
          <Field id="attr-max" label="Most values kept" hint={`The oldest values are dropped first. Empty means ${DEFAULT_MAX_VALUES}.`} problem={problem('max_values')}>
            <input id="attr-max" name="max_values" inputMode="numeric" value={state.maxValues} placeholder={String(DEFAULT_MAX_VALUES)} onInput={(e) => update({ maxValues: e.currentTarget.value })} aria-invalid={invalid('max_values')} aria-describedby={describedBy('attr-max')} />
          </Field>
        )}
        <Field id="attr-description" label="Description (optional)" problem={problem('description')}>
          <input id="attr-description" name="description" value={state.description} onInput={(e) => update({ description: e.currentTarget.value })} aria-invalid={invalid('description')} aria-describedby={describedBy('attr-description')} />
        </Field>
        {state.strategy === 'overwrite' && state.scope !== 'identity_attributes' && (
          <p class="notice notice-warning small">
            With overwrite, the value from the most recently merged device replaces the one captured earlier on another device. Use combine with multi-valued for activity that should accumulate across devices.
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function focusFirst(details: ErrorDetail[]): void {
  for (const detail of details) {
    const id = FIELD_IDS[fieldOf(detail)];
    const element = id ? (document.getElementById(id) as HTMLInputElement | null) : null;
    if (element && !element.disabled) {
      // After the render that shows the problem text.
      window.setTimeout(() => element.focus(), 0);
      return;
    }
  }
}

function DeleteAttribute({ definition, onClose, onDeleted }: { definition: AttributeDefinition; onClose: () => void; onDeleted: () => void }) {
  const { api } = useApp();
  const confirm = async () => {
    await api.deleteAttribute(definition.scope, definition.attribute_id);
    onDeleted();
  };
  return (
    <ConfirmDialog title={`Delete ${definition.attribute_name}?`} confirmLabel="Delete attribute" onConfirm={confirm} onCancel={onClose}>
      <p>
        New writes to <code>{definition.attribute_name}</code>
        {definition.application_identifier ? (
          <>
            {' '}
            of application <code>{definition.application_identifier}</code>
          </>
        ) : null}{' '}
        will be rejected. Values already on profiles stay until they are overwritten or cleared.
      </p>
    </ConfirmDialog>
  );
}
