import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Api, Session } from './api/client';
import { Link } from './components/link';
import { attachAnnouncer } from './lib/announce';
import { AppContext, AppContextValue } from './lib/app-context';
import { clearSession, loadSession, saveSession } from './lib/session';
import { href, navigate, useLocation } from './lib/router';
import { AttributesPage } from './pages/attributes';
import { NotFoundPage } from './pages/not-found';
import { ProfilePage } from './pages/profile';
import { ProfilesPage } from './pages/profiles';
import { RulesPage } from './pages/rules';
import { SignInPage } from './pages/sign-in';

const NAV = [
  { path: '/attributes', label: 'Profile attributes' },
  { path: '/rules', label: 'Unification rules' },
  { path: '/profiles', label: 'Profiles' },
];

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [signOutReason, setSignOutReason] = useState<string | undefined>();
  const location = useLocation();

  const signOut = useCallback((reason?: string) => {
    clearSession();
    setSession(null);
    setSignOutReason(reason);
  }, []);

  const onSignedIn = useCallback((next: Session) => {
    saveSession(next);
    setSignOutReason(undefined);
    setSession(next);
    const wanted = new URLSearchParams(window.location.search).get('next');
    if (location.path === '/sign-in' || location.path === '/') navigate(wanted && wanted.startsWith('/') ? wanted : '/attributes', { replace: true });
  }, [location.path]);

  // The token expires on its own; the console signs out then rather than failing call by call.
  useEffect(() => {
    if (!session) return;
    const timer = window.setTimeout(() => signOut('Your session expired. Sign in again to go on.'), Math.max(0, session.expiresAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [session, signOut]);

  const context = useMemo<AppContextValue | null>(() => {
    if (!session) return null;
    const scopes = new Set(session.scopes);
    const api = new Api(session, () => signOut('Your session has ended (the service no longer accepts the token). Sign in again to go on.'));
    return { session, api, can: (scope: string) => scopes.has(scope), signOut };
  }, [session, signOut]);

  if (!context) {
    return (
      <Shell>
        <SignInPage reason={signOutReason} onSignedIn={onSignedIn} />
      </Shell>
    );
  }

  return (
    <AppContext.Provider value={context}>
      <Shell session={session!} onSignOut={() => signOut()} path={location.path}>
        <Routes path={location.path} query={location.query} />
      </Shell>
    </AppContext.Provider>
  );
}

function Routes({ path, query }: { path: string; query: URLSearchParams }) {
  if (path === '/' || path === '/sign-in') return <Redirect to="/attributes" />;
  if (path === '/attributes') return <AttributesPage query={query} />;
  if (path === '/rules') return <RulesPage />;
  if (path === '/profiles') return <ProfilesPage query={query} />;
  const profile = path.match(/^\/profiles\/([^/]+)$/);
  if (profile) return <ProfilePage profileId={decodeURIComponent(profile[1])} />;
  return <NotFoundPage />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Shell({ session, onSignOut, path, children }: { session?: Session; onSignOut?: () => void; path?: string; children: preact.ComponentChildren }) {
  const live = useRef<HTMLDivElement>(null);
  const first = useRef(true);
  useEffect(() => attachAnnouncer(live.current), []);
  // A new page: move focus to its heading so keyboard and screen-reader users start there.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.getElementById('page-title');
    heading?.focus();
  }, [path]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            ◆
          </span>
          <span>Customer Data</span>
        </div>
        {session && (
          <div class="who">
            <span class="org" title="Organization">
              <span class="visually-hidden">Organization </span>
              {session.org}
            </span>
            <button type="button" class="button small ghost" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      {session && (
        <nav class="nav" aria-label="Console">
          <ul>
            {NAV.map((item) => {
              const active = path === item.path || (path?.startsWith(`${item.path}/`) ?? false);
              return (
                <li key={item.path}>
                  <Link href={href(item.path)} aria-current={active ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      )}
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" ref={live} />
    </>
  );
}
