/** An answer of the service's admin API that is not a success. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

/** The running service's operators' endpoints (`/admin/…`), with the admin token. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, body);
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) throw errorOf(response.status, parsed, text);
    return parsed as T;
  }

  /** The raw response of a streaming endpoint, after checking its status. */
  async stream(path: string): Promise<Response> {
    const response = await this.fetch('GET', path);
    if (!response.ok) {
      const text = await response.text();
      throw errorOf(response.status, text ? safeJson(text) : undefined, text);
    }
    return response;
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new AdminApiError(0, 'unreachable', `The service at ${this.baseUrl} does not answer (${cause?.code ?? cause?.message ?? String(error)})`);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(status: number, body: unknown, text: string): AdminApiError {
  const shaped = body as { code?: unknown; message?: unknown } | undefined;
  const code = typeof shaped?.code === 'string' ? shaped.code : `http_${status}`;
  const message = typeof shaped?.message === 'string' ? shaped.message : text.slice(0, 200) || `HTTP ${status}`;
  return new AdminApiError(status, code, `${message} (HTTP ${status})`);
}
