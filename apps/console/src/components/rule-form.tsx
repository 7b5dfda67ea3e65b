import { useState } from 'preact/hooks';
import { ApiError, AttributeDefinition, ErrorDetail, UnificationRule } from '../api/client';
import { useApp } from '../lib/app-context';
import { fieldOf } from '../lib/attribute-rules';
import { SCOPE } from '../lib/scopes';
import { useResource } from '../lib/use-resource';
import { BlockedValuesField } from './blocked-values-field';
import { Dialog } from './dialog';
import { describedBy, Field } from './field';
import { ErrorNotice } from './notice';

/** The form's control of each rule field, for the API's answer about that field. */
const FIELD_IDS: Record<string, string> = {
  rule_name: 'rule-name',
  property_name: 'rule-property',
  immutable: 'rule-immutable',
  is_active: 'rule-active',
  blocked_values: 'rule-blocked',
  max_profiles: 'rule-max',
};

/**
 * What the box holds: nothing is no limit, a number is that number, and anything else is sent as
 * typed, so that the API, which judges every value, says what is wrong with it.
 */
function maxProfilesOf(text: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/**
 * New rule / edit rule. The API checks what is sent; its answer about a field is shown at that
 * field, in its words.
 */
export function RuleForm({ rule, existing, onClose, onSaved }: { rule?: UnificationRule; existing: UnificationRule[]; onClose: () => void; onSaved: (rule: UnificationRule) => void }) {
  const { api, can } = useApp();
  const editing = rule !== undefined;
  const canSchema = can(SCOPE.schemaView);
  const candidates = useResource(
    async () => {
      const [identity, traits] = await Promise.all([api.listAttributes('identity_attributes'), api.listAttributes('traits')]);
      const used = new Set(existing.map((r) => r.property_name));
      return [...identity, ...traits].filter((d: AttributeDefinition) => d.value_type === 'string' && !d.multi_valued && !used.has(d.attribute_name));
    },
    'rule-candidates',
    canSchema && !editing,
  );
  const [ruleName, setRuleName] = useState(rule?.rule_name ?? '');
  const [property, setProperty] = useState('');
  const [immutable, setImmutable] = useState(rule?.immutable ?? false);
  const [active, setActive] = useState(true);
  const [blocked, setBlocked] = useState<string[]>(rule?.blocked_values ?? []);
  const [maxProfiles, setMaxProfiles] = useState(rule?.max_profiles == null ? '' : String(rule.max_profiles));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  /** A changed field: what the API said about the last try no longer holds. */
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setError(undefined);
    };

  const details: ErrorDetail[] = error instanceof ApiError ? error.details : [];
  const problem = (field: string) =>
    details
      .filter((d) => fieldOf(d) === field)
      .map((d) => d.reason)
      .join('; ') || undefined;
  const unplaced = details.some((d) => !FIELD_IDS[fieldOf(d)]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const safeguards = { blocked_values: blocked, max_profiles: maxProfilesOf(maxProfiles) as number | null };
    try {
      const saved = editing
        ? await api.changeRule(rule.rule_id, { rule_name: ruleName.trim(), immutable, ...safeguards })
        : await api.addRule({
            rule_name: ruleName.trim(),
            property_name: property || candidates.data?.[0]?.attribute_name || '',
            immutable,
            is_active: active,
            ...(blocked.length > 0 ? { blocked_values: blocked } : {}),
            ...(safeguards.max_profiles !== null ? { max_profiles: safeguards.max_profiles } : {}),
          });
      onSaved(saved);
    } catch (failure) {
      setError(failure);
      const first = failure instanceof ApiError ? failure.details.map((d) => FIELD_IDS[fieldOf(d)]).find(Boolean) : undefined;
      // After the render that shows the problem text.
      if (first) window.setTimeout(() => document.getElementById(first)?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={editing ? `Edit rule ${rule.rule_name}` : 'New unification rule'} onClose={onClose} wide>
      <form class="form" onSubmit={submit} noValidate>
        {error !== undefined && (details.length === 0 || unplaced) && <ErrorNotice error={error} compact />}
        <Field id="rule-name" label="Rule name" hint="For example Email. It names the reason of the merges it causes." problem={problem('rule_name')}>
          <input id="rule-name" autofocus value={ruleName} onInput={(e) => edit(setRuleName)(e.currentTarget.value)} aria-invalid={problem('rule_name') ? true : undefined} aria-describedby={describedBy('rule-name')} />
        </Field>
        {editing ? (
          <Field id="rule-property" label="Property" hint="Fixed once the rule exists: add a new rule for another property.">
            <input id="rule-property" value={rule.property_name} disabled aria-describedby={describedBy('rule-property')} />
          </Field>
        ) : (
          <Field id="rule-property" label="Property" hint="A single-valued string attribute of identity attributes or traits. Fixed once the rule exists." problem={problem('property_name')}>
            {canSchema ? (
              candidates.data && candidates.data.length === 0 ? (
                <p class="notice notice-info small">No attribute can be an identity yet: define a single-valued string attribute in identity attributes or traits first.</p>
              ) : (
                <select id="rule-property" value={property} onChange={(e) => setProperty(e.currentTarget.value)} aria-describedby={describedBy('rule-property')}>
                  {(candidates.data ?? []).map((d) => (
                    <option key={d.attribute_id} value={d.attribute_name}>
                      {d.attribute_name}
                    </option>
                  ))}
                </select>
              )
            ) : (
              <input id="rule-property" placeholder="identity_attributes.email" value={property} onInput={(e) => setProperty(e.currentTarget.value)} aria-describedby={describedBy('rule-property')} />
            )}
          </Field>
        )}
        <Field id="rule-immutable" inline label="Immutable: different values on two profiles block any merge">
          <input id="rule-immutable" type="checkbox" checked={immutable} onChange={(e) => setImmutable(e.currentTarget.checked)} />
        </Field>
        {!editing && (
          <Field id="rule-active" inline label="Active">
            <input id="rule-active" type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          </Field>
        )}
        <fieldset class="safeguards">
          <legend>Safeguards against wrong merges</legend>
          <BlockedValuesField id="rule-blocked" values={blocked} onChange={edit(setBlocked)} problem={problem('blocked_values')} />
          <Field
            id="rule-max"
            label="Most profiles joined through this rule"
            hint="At least 2; leave empty for no limit. Further matches are not merged, and each one is recorded in the profile’s history."
            problem={problem('max_profiles')}
          >
            <input
              id="rule-max"
              class="narrow"
              inputMode="numeric"
              placeholder="no limit"
              value={maxProfiles}
              onInput={(e) => edit(setMaxProfiles)(e.currentTarget.value)}
              aria-invalid={problem('max_profiles') ? true : undefined}
              aria-describedby={describedBy('rule-max')}
            />
          </Field>
        </fieldset>
        {!editing && <p class="muted small">A new rule goes to the end of the list, with the lowest priority.</p>}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save rule' : 'Add rule'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
