import type {
  AttributeDefinition,
  AttributeScope as Scope,
  components,
  ErrorDetail,
  Profile as UnifiedProfile,
  ProfilePage as ProfilePageBody,
  UnificationRule,
} from '@cds/contract';

/** The body of a manual merge and of an unmerge: the other profile. */
type OtherProfile = components['schemas']['OtherProfileDto'];

/** The API's error shape (`{code, message, details?}`), with the HTTP status it came with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the console keeps of a sign-in: never the client secret. */
export interface Session {
  org: string;
  clientId: string;
  accessToken: string;
  scopes: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface ProfileQuery {
  filters: string[];
  pageSize: number;
  cursor?: string;
}

export interface ProfilePage {
  profiles: UnifiedProfile[];
  nextCursor?: string;
}

export type AttributeInput = object;
export type { AttributeDefinition, ErrorDetail, Scope, UnificationRule, UnifiedProfile };

const JSON_TYPE = /^application\/(.+\+)?json/i;

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', 'The service could not be reached. Check your connection and that the service is running.');
  }
}

/** Reads a body as JSON; anything else from the service is turned into an ApiError. */
async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  if (!JSON_TYPE.test(response.headers.get('content-type') ?? '')) {
    throw new ApiError(response.status, 'unexpected_response', `The service answered ${response.status} with something that is not JSON.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'unexpected_response', 'The service answered with JSON that does not parse.');
  }
}

function toError(status: number, body: unknown): ApiError {
  const shaped = body as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  if (shaped && typeof shaped.code === 'string' && typeof shaped.message === 'string') {
    const details = Array.isArray(shaped.details) ? (shaped.details as ErrorDetail[]) : [];
    return new ApiError(status, shaped.code, shaped.message, details);
  }
  return new ApiError(status, status >= 500 ? 'internal_error' : 'http_error', `The service answered with HTTP ${status}.`);
}

/** `POST /t/{org}/oauth2/token` with client credentials (Basic auth, form body). */
export async function signIn(org: string, clientId: string, clientSecret: string, scopes?: string[]): Promise<Session> {
  // RFC 6749 §2.3.1: each part is form-encoded before base64; the issuer decodes them.
  const basic = btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scopes && scopes.length > 0) form.set('scope', scopes.join(' '));
  const response = await send(`/t/${encodeURIComponent(org)}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  });
  const body = await readBody(response);
  if (!response.ok) throw toError(response.status, body);
  const token = body as { access_token: string; expires_in: number; scope?: string };
  return {
    org,
    clientId,
    accessToken: token.access_token,
    scopes: (token.scope ?? '').split(/\s+/).filter(Boolean),
    expiresAt: Date.now() + token.expires_in * 1000,
  };
}

export interface Reply<T> {
  body: T;
  /** The log position a write produced (`cds-log-position`). */
  position?: number;
}

/** The tenant's API under `/t/{org}/cds/api/v1`, with the session's bearer token. */
export class Api {
  constructor(
    readonly session: Session,
    /** Called on 401: the token expired or was not accepted, so the session is over. */
    private readonly onUnauthorized: (error: ApiError) => void,
  ) {}

  get base(): string {
    return `/t/${encodeURIComponent(this.session.org)}/cds/api/v1`;
  }

  async request<T>(method: string, path: string, options: { body?: unknown; query?: URLSearchParams } = {}): Promise<Reply<T>> {
    const search = options.query && [...options.query.keys()].length > 0 ? `?${options.query.toString()}` : '';
    const headers: Record<string, string> = { authorization: `Bearer ${this.session.accessToken}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await send(`${this.base}${path}${search}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const body = await readBody(response);
    if (!response.ok) {
      const error = toError(response.status, body);
      if (response.status === 401) this.onUnauthorized(error);
      throw error;
    }
    const position = response.headers.get('cds-log-position');
    return { body: body as T, ...(position ? { position: Number(position) } : {}) };
  }

  // Profile attributes (the schema)
  async listAttributes(scope: Scope): Promise<AttributeDefinition[]> {
    return (await this.request<AttributeDefinition[]>('GET', `/profile-schema/${scope}`)).body;
  }
  async defineAttribute(scope: Scope, input: AttributeInput): Promise<AttributeDefinition> {
    return (await this.request<AttributeDefinition>('POST', `/profile-schema/${scope}`, { body: input })).body;
  }
  async updateAttribute(scope: Scope, attributeId: string, input: AttributeInput): Promise<AttributeDefinition> {
    return (await this.request<AttributeDefinition>('PUT', `/profile-schema/${scope}/${encodeURIComponent(attributeId)}`, { body: input })).body;
  }
  async deleteAttribute(scope: Scope, attributeId: string): Promise<void> {
    await this.request('DELETE', `/profile-schema/${scope}/${encodeURIComponent(attributeId)}`);
  }

  // Unification rules
  async listRules(): Promise<UnificationRule[]> {
    return (await this.request<UnificationRule[]>('GET', '/unification-rules')).body;
  }
  async addRule(input: Partial<UnificationRule>): Promise<UnificationRule> {
    return (await this.request<UnificationRule>('POST', '/unification-rules', { body: input })).body;
  }
  async changeRule(ruleId: string, change: Partial<UnificationRule>): Promise<UnificationRule> {
    return (await this.request<UnificationRule>('PATCH', `/unification-rules/${encodeURIComponent(ruleId)}`, { body: change })).body;
  }
  async removeRule(ruleId: string): Promise<void> {
    await this.request('DELETE', `/unification-rules/${encodeURIComponent(ruleId)}`);
  }
  /** "Save priorities": the whole order in one request, one event. */
  async savePriorities(orderedRuleIds: string[]): Promise<UnificationRule[]> {
    const priorities = orderedRuleIds.map((rule_id, index) => ({ rule_id, priority: index + 1 }));
    return (await this.request<UnificationRule[]>('PUT', '/unification-rules/priorities', { body: { priorities } })).body;
  }

  // Profiles
  async listProfiles(query: ProfileQuery): Promise<ProfilePage> {
    const params = new URLSearchParams();
    for (const filter of query.filters) params.append('filter', filter);
    params.set('page_size', String(query.pageSize));
    if (query.cursor) params.set('cursor', query.cursor);
    const { body } = await this.request<ProfilePageBody>('GET', '/profiles', { query: params });
    return { profiles: body.profiles, ...(body.pagination.next_cursor ? { nextCursor: body.pagination.next_cursor } : {}) };
  }
  /** The profile now, or `as_of` a log position or time. */
  async getProfile(profileId: string, query?: URLSearchParams): Promise<UnifiedProfile> {
    return (await this.request<UnifiedProfile>('GET', `/profiles/${encodeURIComponent(profileId)}`, query ? { query } : {})).body;
  }

  // Merging by hand, and undoing a merge
  /** `otherId` merges into `profileId`, which survives (reason `manual`); answers with the unified profile. */
  async mergeProfile(profileId: string, otherId: string): Promise<Reply<UnifiedProfile>> {
    const body: OtherProfile = { profile_id: otherId };
    return this.request<UnifiedProfile>('POST', `/profiles/${encodeURIComponent(profileId)}/merge`, { body });
  }
  /** `mergedId`, merged directly into `profileId`, splits off; answers with `profileId` as it stays. */
  async unmergeProfile(profileId: string, mergedId: string): Promise<Reply<UnifiedProfile>> {
    const body: OtherProfile = { profile_id: mergedId };
    return this.request<UnifiedProfile>('POST', `/profiles/${encodeURIComponent(profileId)}/unmerge`, { body });
  }
  /** The profile once the read model holds `position` (a write's answer), so it shows that write. */
  async getProfileAfter(profileId: string, position: number | undefined): Promise<UnifiedProfile> {
    return this.getProfile(profileId, position === undefined ? undefined : new URLSearchParams({ wait_for_position: String(position) }));
  }
}
