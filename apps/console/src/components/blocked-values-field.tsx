import { useState } from 'preact/hooks';
import { announce } from '../lib/announce';
import { describedBy, Field } from './field';

/**
 * An editable list of exact values: type one and press Enter (or Add value); each shown value
 * has its own Remove button. Values are kept exactly as typed, spaces and case included.
 */
export function BlockedValuesField({ id, values, onChange, problem }: { id: string; values: readonly string[]; onChange: (values: string[]) => void; problem?: string }) {
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState<string | undefined>();

  const add = () => {
    if (draft === '') return;
    if (values.includes(draft)) {
      setNote(`${JSON.stringify(draft)} is in the list already.`);
      return;
    }
    onChange([...values, draft]);
    announce(`${JSON.stringify(draft)} added to the blocked values`);
    setDraft('');
    setNote(undefined);
  };

  const remove = (value: string) => {
    onChange(values.filter((v) => v !== value));
    announce(`${JSON.stringify(value)} removed from the blocked values`);
    // The removed value's button is gone: the keyboard goes on from the box.
    document.getElementById(id)?.focus();
  };

  return (
    <Field
      id={id}
      label="Blocked values"
      hint="Values that never match through this rule, exactly as written (case and spaces count): for example null, unknown, or a shared address such as info@example.com."
      problem={problem ?? note}
    >
      <div class="inline-form">
        <input
          id={id}
          value={draft}
          autocapitalize="off"
          spellcheck={false}
          onInput={(e) => {
            setDraft(e.currentTarget.value);
            setNote(undefined);
          }}
          onKeyDown={(e) => {
            // Enter adds the value here; it does not send the whole form.
            if (e.key !== 'Enter') return;
            e.preventDefault();
            add();
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy(id)}
        />
        <button type="button" class="button" disabled={draft === ''} onClick={add}>
          Add value
        </button>
      </div>
      <ul class="chips blocked-values" aria-label="Values blocked so far">
        {values.length === 0 ? (
          <li class="muted small">None: every non-empty value can match.</li>
        ) : (
          values.map((value) => (
            <li key={value} class="chip removable" data-value={value}>
              <code>{JSON.stringify(value)}</code>
              <button type="button" class="chip-remove" aria-label={`Remove blocked value ${JSON.stringify(value)}`} onClick={() => remove(value)}>
                ×
              </button>
            </li>
          ))
        )}
      </ul>
    </Field>
  );
}
