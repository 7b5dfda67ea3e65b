import { createSecretKey, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { createRemoteJWKSet, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { createFileOnce } from '@cds/adapters-embedded';
import { AuthConfig } from '@cds/runtime';
import { ALL_SCOPES, AUDIENCE } from './scopes';

/** Shared by every request bearing the same token: never changed once made. */
export interface Principal {
  readonly clientId: string;
  readonly organization: string;
  readonly scopes: ReadonlySet<string>;
}

export class AuthError extends Error {
  constructor(readonly status: 400 | 401 | 403, readonly code: string, message: string) {
    super(message);
  }
}

export const TOKEN_TTL_SECONDS = 3600;
/** How far the issuer's clock may run ahead of ours (iat, nbf) or behind it (exp). */
export const CLOCK_SKEW_SECONDS = 60;
const BUILT_IN_ISSUER = 'cds-built-in-issuer';
/** Tokens verified lately, kept so a client's next request skips the signature check. */
const VERIFIED_TOKENS = 2_000;
/** How long a verification is reused at most: a JWKS key withdrawn stops working within this. */
const VERIFIED_FOR_MS = 60_000;

interface Verified {
  principal: Principal;
  /** Until when it may be reused: the token's expiry (with skew) or VERIFIED_FOR_MS, the earlier. */
  until: number;
}

/**
 * Issues client-credentials tokens from the built-in issuer (HS256, key kept in the data dir so
 * tokens survive restarts) and verifies bearer tokens, from the built-in issuer or a JWKS URL.
 */
export class TokenService {
  private readonly key: KeyObject | null;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | null;
  private readonly verified = new Map<string, Verified>();

  constructor(private readonly config: AuthConfig, dataDir: string) {
    this.key = config.devClient ? loadOrCreateKey(dataDir) : null;
    this.jwks = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : null;
  }

  /** A token with the scopes asked for (every scope when `requested` is null); an unknown scope is refused, never dropped. */
  async issue(organization: string, clientId: string, clientSecret: string, requested: string[] | null) {
    const client = this.config.devClient;
    if (!client || !this.key || !safeEqual(clientId, client.clientId) || !safeEqual(clientSecret, client.clientSecret)) {
      throw new AuthError(401, 'invalid_client', 'Unknown client or wrong secret');
    }
    const scopes = requested ?? ALL_SCOPES;
    const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) throw new AuthError(400, 'invalid_scope', `Unknown scope: ${unknown.join(', ')}`);
    const scope = [...new Set(scopes)].join(' ');
    const token = await new SignJWT({ scope, org: organization, client_id: clientId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(BUILT_IN_ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(clientId)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
      .sign(this.key);
    return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, scope };
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached && cached.until > Date.now()) return cached.principal;
    if (cached) this.verified.delete(token);
    const payload = await this.verifySignature(token);
    const organization = typeof payload.org === 'string' ? payload.org : (payload.org_handle as string | undefined);
    if (!organization) throw new AuthError(401, 'invalid_token', 'The token names no organization');
    const scope = typeof payload.scope === 'string' ? payload.scope : '';
    const principal: Principal = {
      clientId: String(payload.client_id ?? payload.sub ?? ''),
      organization,
      scopes: new Set(scope.split(/\s+/).filter(Boolean)),
    };
    this.remember(token, principal, (payload.exp as number) * 1000 + CLOCK_SKEW_SECONDS * 1000);
    return principal;
  }

  private remember(token: string, principal: Principal, expiresAt: number): void {
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, until: Math.min(expiresAt, Date.now() + VERIFIED_FOR_MS) });
  }

  private async verifySignature(token: string): Promise<JWTPayload> {
    const payload = await this.verifiedPayload(token);
    // jose checks nbf against the clock; an iat in the future is as suspect as an early nbf.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) {
      throw new AuthError(401, 'invalid_token', 'The bearer token is not valid: it was issued in the future (iat)');
    }
    return payload;
  }

  private async verifiedPayload(token: string): Promise<JWTPayload> {
    // Every token expires: one without exp would be valid forever.
    const options = { audience: AUDIENCE, requiredClaims: ['exp'], clockTolerance: CLOCK_SKEW_SECONDS };
    try {
      if (this.key) {
        try {
          return (await jwtVerify(token, this.key, { ...options, issuer: BUILT_IN_ISSUER, algorithms: ['HS256'] })).payload;
        } catch (error) {
          if (!this.jwks) throw error;
        }
      }
      if (this.jwks) {
        return (await jwtVerify(token, this.jwks, { ...options, ...(this.config.jwtIssuer ? { issuer: this.config.jwtIssuer } : {}) })).payload;
      }
    } catch (error) {
      throw new AuthError(401, 'invalid_token', `The bearer token is not valid: ${(error as Error).message}`);
    }
    throw new AuthError(401, 'invalid_token', 'No token verifier is configured');
  }
}

/** The built-in issuer's key, as a key object once (jose would make one from raw bytes per call). */
function loadOrCreateKey(dataDir: string): KeyObject {
  const text = createFileOnce(join(dataDir, 'issuer.key'), randomBytes(32).toString('base64'));
  return createSecretKey(Buffer.from(text.trim(), 'base64'));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
