import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from './notice';

let counter = 0;

/**
 * A modal on the browser's own <dialog>: focus moves in and is kept there, Escape closes it,
 * and focus returns to what opened it.
 */
export function Dialog({ title, onClose, children, wide = false }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useRef(`dialog-title-${++counter}`);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={`dialog${wide ? ' wide' : ''}`}
      aria-labelledby={id.current}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={id.current}>{title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

/**
 * "Are you sure?" with the safe answer focused first. While the action runs the confirm button
 * waits; if it fails, the dialog stays open and says why.
 */
export function ConfirmDialog(props: { title: string; children: ComponentChildren; confirmLabel: string; onConfirm: () => Promise<void>; onCancel: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onCancel}>
      <div class="dialog-body">{props.children}</div>
      {error !== undefined && <ErrorNotice error={error} compact />}
      <div class="dialog-actions">
        <button type="button" class="button" autofocus onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" class="button danger" disabled={busy} onClick={confirm}>
          {busy ? 'Working…' : props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
