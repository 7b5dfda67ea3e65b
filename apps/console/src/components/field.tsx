import type { ComponentChildren } from 'preact';

/**
 * A labelled form field with an optional hint and the problem found with it. The control inside
 * points at both with `aria-describedby={describedBy(id)}` and sets `aria-invalid` itself.
 */
export function Field({ id, label, hint, problem, children, inline = false }: { id: string; label: ComponentChildren; hint?: ComponentChildren; problem?: string; children: ComponentChildren; inline?: boolean }) {
  return (
    <div class={`field${problem ? ' has-problem' : ''}${inline ? ' inline' : ''}`}>
      {inline ? (
        <label class="check" for={id}>
          {children}
          <span>{label}</span>
        </label>
      ) : (
        <>
          <label for={id}>{label}</label>
          {children}
        </>
      )}
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <p class="field-problem" id={`${id}-problem`} hidden={!problem}>
        {problem}
      </p>
    </div>
  );
}

export const describedBy = (id: string) => `${id}-hint ${id}-problem`;
