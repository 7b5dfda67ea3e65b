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
}

export function expectStatus(res: ApiResponse, status: number): void {
  if (res.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
}
