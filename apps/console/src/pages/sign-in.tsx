import { useState } from 'preact/hooks';
import { Session, signIn } from '../api/client';
import { Field } from '../components/field';
import { ErrorNotice } from '../components/notice';
import { PageHeader } from '../components/page-header';
import { ALL_SCOPES, SCOPE_LABELS } from '../lib/scopes';

const ORG_HANDLE = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;

/**
 * Client-credentials sign-in: the organization names the tenant, the token is bound to it and
 * carries the scopes asked for (all of them when none is chosen).
 */
export function SignInPage({ reason, onSignedIn }: { reason?: string; onSignedIn: (session: Session) => void }) {
  const params = new URLSearchParams(window.location.search);
  const [org, setOrg] = useState(params.get('org') ?? '');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [choose, setChoose] = useState(false);
  const [scopes, setScopes] = useState<Set<string>>(new Set(ALL_SCOPES));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<Record<string, string>>({});

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!ORG_HANDLE.test(org.trim())) found.org = 'Organization handles are lower-case letters, digits, _ and -, at most 64';
    if (clientId.trim() === '') found.clientId = 'Enter the client id';
    if (secret === '') found.secret = 'Enter the client secret';
    if (choose && scopes.size === 0) found.scopes = 'Tick at least one scope, or ask for all of them';
    setProblems(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`signin-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const session = await signIn(org.trim(), clientId.trim(), secret, choose ? ALL_SCOPES.filter((s) => scopes.has(s)) : undefined);
      setSecret('');
      onSignedIn(session);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (scope: string) => {
    const next = new Set(scopes);
    if (next.has(scope)) next.delete(scope);
    else next.add(scope);
    setScopes(next);
  };

  return (
    <div class="signin">
      <PageHeader title="Sign in to the console" lead="Use the client credentials of an application that may manage customer data." />
      {reason && (
        <div class="notice notice-info" role="status">
          <p>{reason}</p>
        </div>
      )}
      <form class="card form" onSubmit={submit} noValidate aria-describedby={error ? 'signin-error' : undefined}>
        <Field id="signin-org" label="Organization" problem={problems.org} hint="The handle in your tenant's URL, for example acme.">
          <input id="signin-org" name="org" autocomplete="organization" autocapitalize="off" spellcheck={false} value={org} onInput={(e) => setOrg(e.currentTarget.value)} aria-invalid={problems.org ? true : undefined} aria-describedby="signin-org-hint signin-org-problem" />
        </Field>
        <Field id="signin-clientId" label="Client ID" problem={problems.clientId}>
          <input id="signin-clientId" name="client_id" autocomplete="username" autocapitalize="off" spellcheck={false} value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} aria-invalid={problems.clientId ? true : undefined} aria-describedby="signin-clientId-problem" />
        </Field>
        <Field id="signin-secret" label="Client secret" problem={problems.secret}>
          <input id="signin-secret" name="client_secret" type="password" autocomplete="current-password" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} aria-invalid={problems.secret ? true : undefined} aria-describedby="signin-secret-problem" />
        </Field>
        <fieldset class="scopes">
          <legend>Permissions</legend>
          <label class="check">
            <input type="radio" name="scope-mode" checked={!choose} onChange={() => setChoose(false)} />
            Everything this client is allowed
          </label>
          <label class="check">
            <input type="radio" name="scope-mode" checked={choose} onChange={() => setChoose(true)} />
            Only the scopes I choose
          </label>
          {choose && (
            <div class="scope-list" id="signin-scopes" tabIndex={-1}>
              {ALL_SCOPES.map((scope) => (
                <label class="check" key={scope}>
                  <input type="checkbox" name="scope" value={scope} checked={scopes.has(scope)} onChange={() => toggle(scope)} />
                  <span>
                    {SCOPE_LABELS[scope]} <code class="muted">{scope}</code>
                  </span>
                </label>
              ))}
              {problems.scopes && <p class="field-problem">{problems.scopes}</p>}
            </div>
          )}
        </fieldset>
        {error !== undefined && (
          <div id="signin-error">
            <ErrorNotice error={error} compact />
          </div>
        )}
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
        <p class="muted small">The token is kept in this tab only and is forgotten when the tab closes. The secret is never stored.</p>
      </form>
    </div>
  );
}
