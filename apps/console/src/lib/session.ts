import type { Session } from '../api/client';

/**
 * The token lives in memory and in this tab's sessionStorage (so a reload keeps the sign-in);
 * it is gone when the tab closes. The client secret is never kept.
 */
const KEY = 'cds-console.session';
/** A token this close to its expiry is treated as expired. */
const SKEW_MS = 30_000;

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    const valid =
      typeof session?.org === 'string' &&
      typeof session.accessToken === 'string' &&
      Array.isArray(session.scopes) &&
      typeof session.expiresAt === 'number';
    if (!valid || isExpired(session)) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage may be off (private mode): the session then lives in memory only.
  }
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}

export function isExpired(session: Session, now = Date.now()): boolean {
  return session.expiresAt - SKEW_MS <= now;
}
