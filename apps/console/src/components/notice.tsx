import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { AppContext } from '../lib/app-context';
import { explain } from '../lib/explain';

/** An error explained: what happened, the API's own words and code, and what to do next. */
export function ErrorNotice({ error, onRetry, compact = false }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const e = explain(error);
  const app = useContext(AppContext);
  return (
    <div class={`notice notice-error${compact ? ' compact' : ''}`} role="alert" data-code={e.code}>
      <p class="notice-title">{e.title}</p>
      <p>{e.message}</p>
      {e.details.length > 0 && (
        <ul class="notice-details">
          {e.details.map((d, i) => (
            <li key={i}>
              {d.field ? <code>{d.field}</code> : null}
              {d.field ? ': ' : ''}
              {d.reason}
            </li>
          ))}
        </ul>
      )}
      {e.hint && <p class="notice-hint">{e.hint}</p>}
      <p class="notice-meta">
        {e.code && (
          <span>
            Error code <code>{e.code}</code>
          </span>
        )}
        {onRetry && (
          <button type="button" class="button small" onClick={onRetry}>
            Try again
          </button>
        )}
        {app && (e.code === 'insufficient_scope' || e.code === 'wrong_organization') && (
          <button type="button" class="button small" onClick={() => app.signOut()}>
            Sign out
          </button>
        )}
      </p>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="empty" role="status">
      <p class="empty-title">{title}</p>
      {children && <div class="empty-text">{children}</div>}
      {action && <div class="empty-action">{action}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
