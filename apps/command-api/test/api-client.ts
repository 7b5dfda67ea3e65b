export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  /** The log position a write answered with. */
  position?: number;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

/** Talks to the service over real HTTP, the way a backend service or curl would. */
export class ApiClient {
  private cachedToken?: string;

  constructor(
    readonly baseUrl: string,
    readonly org: string,
    private readonly credentials = { clientId: 'test-client', clientSecret: 'test-secret' },
  ) {}

  async token(scope?: string, org = this.org): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
    const basic = Buffer.from(`${this.credentials.clientId}:${this.credentials.clientSecret}`).toString('base64');
    const res = await fetch(`${this.baseUrl}/t/${org}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const body = (await res.json()) as { access_token: string };
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const token = options.token === undefined ? (this.cachedToken ??= await this.token()) : options.token;
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers };
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path.startsWith('/t/') ? path : `/t/${this.org}/cds/api/v1${path}`}`, {
      method,
      headers,
      body,
    });
    const text = await res.text();
    const position = res.headers.get('cds-log-position');
    return {
      status: res.status,
      headers: res.headers,
      body: text ? JSON.parse(text) : undefined,
      ...(position ? { position: Number(position) } : {}),
    };
  }

  // The calls of the seed walk-throughs, by name.
  defineAttributes(scope: string, body: unknown) {
    return this.request('POST', `/profile-schema/${scope}`, { body });
  }
  createProfile(body: unknown = {}, headers: Record<string, string> = {}) {
    return this.request('POST', '/profiles', { body, headers });
  }
  patchProfile(id: string, body: unknown, headers: Record<string, string> = {}) {
    return this.request('PATCH', `/profiles/${id}`, { body, headers });
  }
  signIn(userId: string, tracker: string) {
    return this.request('POST', '/profiles/sync', {
      body: { event: 'AUTHENTICATION_SUCCESS', user_id: userId, anonymous_profile_tracker: tracker },
    });
  }
  /** Reads after the read model has caught up with `position` (a write's answer). */
  getProfile(id: string, position?: number) {
    return this.request('GET', `/profiles/${id}${position !== undefined ? `?wait_for_position=${position}` : ''}`);
  }

  // Helpers of the behaviour specs.

  /** The log's last position (`GET /health/ready`): unchanged across a request that appended nothing. */
  async logHead(): Promise<number | null> {
    const res = await fetch(`${this.baseUrl}/health/ready`);
    const body = (await res.json()) as { log_head: number | null };
    return body.log_head;
  }

  /** Waits until the read model holds everything up to `position` (the log head by default). */
  async catchUp(position?: number | null): Promise<void> {
    const target = position === undefined ? await this.logHead() : position;
    if (target === null) return;
    // Any profile id will do: the wait happens before the lookup, and the answer is not needed.
    const res = await this.request('GET', `/profiles/${globalThis.crypto.randomUUID()}?wait_for_position=${target}`);
    if (res.status !== 404 && res.status !== 200) throw new Error(`catch-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** The same client credentials, another organization. */
  forOrganization(org: string): ApiClient {
    return new ApiClient(this.baseUrl, org, this.credentials);
  }

  /** The token endpoint as it answers, for any form fields and headers. */
  async tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}, org = this.org): Promise<ApiResponse> {
    const res = await fetch(`${this.baseUrl}/t/${org}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  deleteProfile(id: string, headers: Record<string, string> = {}) {
    return this.request('DELETE', `/profiles/${id}`, { headers });
  }

  listProfiles(query: ListQuery = {}) {
    const params = new URLSearchParams();
    const filters = query.filter === undefined ? [] : Array.isArray(query.filter) ? query.filter : [query.filter];
    for (const filter of filters) params.append('filter', filter);
    if (query.page_size !== undefined) params.set('page_size', String(query.page_size));
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    if (query.wait_for_position !== undefined) params.set('wait_for_position', String(query.wait_for_position));
    const search = params.toString();
    return this.request('GET', `/profiles${search ? `?${search}` : ''}`);
  }

  /** Sign-in with any body: snake_case, camelCase or wrong. */
  sync(body: unknown) {
    return this.request('POST', '/profiles/sync', { body });
  }

  readSchema(path = '') {
    return this.request('GET', `/profile-schema${path ? `/${path}` : ''}`);
  }

  updateAttribute(scope: string, attributeId: string, body: unknown) {
    return this.request('PUT', `/profile-schema/${scope}/${attributeId}`, { body });
  }

  deleteAttribute(scope: string, attributeId: string) {
    return this.request('DELETE', `/profile-schema/${scope}/${attributeId}`);
  }
}

export function expectStatus(res: ApiResponse, status: number): void {
  if (res.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

export interface ListQuery {
  filter?: string | string[];
  page_size?: number | string;
  cursor?: string;
  wait_for_position?: number | string;
}

/** The `{code, message, details?}` shape every error has (SPEC §6). */
export function expectError(res: ApiResponse, status: number, code?: string): void {
  expectStatus(res, status);
  expect(typeof res.body?.code).toBe('string');
  expect(typeof res.body?.message).toBe('string');
  expect(Object.keys(res.body).filter((key) => !['code', 'message', 'details'].includes(key))).toEqual([]);
  if (code !== undefined) expect(res.body.code).toBe(code);
}

/** Runs `act` and checks that the log did not move: a rejected request appends nothing. */
export async function expectNothingAppended<T>(api: ApiClient, act: () => Promise<T>): Promise<T> {
  const before = await api.logHead();
  const result = await act();
  expect(await api.logHead()).toBe(before);
  return result;
}

/** Sends `send`, expects a 4xx error of that status (and code) and an unmoved log. */
export async function expectRejected(api: ApiClient, send: () => Promise<ApiResponse>, status: number, code?: string): Promise<ApiResponse> {
  const res = await expectNothingAppended(api, send);
  expectError(res, status, code);
  return res;
}
