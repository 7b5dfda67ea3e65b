/** The `cds_profile` cookie carries the anonymous profile tracker of this browser. */
export const PROFILE_COOKIE = 'cds_profile';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export function readProfileCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === PROFILE_COOKIE) return safeDecode(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A cookie that does not decode is no tracker of ours: the browser gets a new profile. */
function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export function profileCookie(tracker: string): string {
  return `${PROFILE_COOKIE}=${encodeURIComponent(tracker)}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; HttpOnly; SameSite=Lax`;
}
