import type { ComponentChildren } from 'preact';
import { useApp } from '../lib/app-context';
import { describeScope } from '../lib/scopes';

/** Shows its children only when the sign-in carries `scope`; otherwise says why not and what to do. */
export function ScopeGate({ scope, what, children }: { scope: string; what: string; children: ComponentChildren }) {
  const { can } = useApp();
  if (can(scope)) return <>{children}</>;
  return <MissingScope scope={scope} what={what} />;
}

export function MissingScope({ scope, what }: { scope: string; what: string }) {
  const { signOut } = useApp();
  return (
    <div class="notice notice-warning" role="alert" data-code="insufficient_scope">
      <p class="notice-title">Missing permission</p>
      <p>
        To {what}, your sign-in needs the scope to {describeScope(scope)}. The token you signed in with does not carry it.
      </p>
      <p class="notice-hint">
        Sign out and sign in again with that scope ticked, or ask an administrator for a client that has it.{' '}
        <button type="button" class="button small" onClick={() => signOut()}>
          Sign out
        </button>
      </p>
    </div>
  );
}
