import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { POSITION_HEADER, WAIT_QUERY } from '../../http/log-position';
import { dtoSchema } from './dto-schema';
import { collectRoutes, operationIdOf, RouteFacts } from './routes';
import {
  COMPONENT_HEADERS,
  COMPONENT_PARAMETERS,
  COMPONENT_RESPONSES,
  COMPONENT_SCHEMAS,
  Json,
  PATH_PARAMETERS,
  ref,
} from './schemas';

export const OPENAPI_JSON_PATH = 'openapi.json';
/** Set on a write's answer given before identity resolution acted on it. */
const UNIFICATION_HEADER = 'cds-unification';
export const DOCS_PATH = 'docs';
export const BEARER = 'bearer';
const ADMIN = 'admin_token';
const CLIENT_BASIC = 'client_basic';
/** Not API: the web console's static files. */
const UNDOCUMENTED_PREFIXES = ['/console'];

const TAGS: Array<{ name: string; description: string }> = [
  { name: 'profiles', description: 'Unified customer profiles: create, read, write, erase, list, sign-in.' },
  { name: 'profile-schema', description: 'Attribute definitions by scope: value types and merge strategies.' },
  { name: 'unification-rules', description: 'Identity resolution rules: which attribute values make two profiles one.' },
  { name: 'auth', description: 'Tokens from the built-in client-credentials issuer.' },
  { name: 'admin', description: "Operators' endpoints; they take the admin token, not an organization's." },
  { name: 'operations', description: 'Health checks and metrics for operators; no token needed.' },
];

/**
 * Serves the OpenAPI document at `/openapi.json` and Swagger UI at `/docs` (both public, outside
 * the auth guard). The document is built on first request, from the routes as they are then.
 */
export function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Customer Data Service API',
    swaggerOptions: { persistAuthorization: false, displayOperationId: false },
  });
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Customer Data Service')
    .setDescription(
      'Unified customer profiles over an event log. JSON in and out; every error is `{code, message, details?}` with a 4xx status ' +
        `for anything the caller got wrong. Writes answer with \`${POSITION_HEADER}\`; reads are eventually consistent and may pass ` +
        `that position back as \`${WAIT_QUERY}\` to read their own writes.`,
    )
    .setVersion('v1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A JWT with audience `iam-cds` for the organization in the path; each operation lists the scopes it needs.',
      },
      BEARER,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: "The operators' admin token (CDS_ADMIN_TOKEN, or admin.token in the data directory)." }, ADMIN)
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'Client id and secret, for the token endpoint.' }, CLIENT_BASIC)
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationIdOf, autoTagControllers: false });
  return enrich(document, collectRoutes(app));
}

/**
 * Completes the document the Swagger scanner read from the decorators beside each route (summary,
 * body, success answers, query parameters) with what follows from the route itself: tags, path
 * parameters, scopes, cookies, the wait and Idempotency-Key parameters, the log-position header
 * of writes and every error the route can answer.
 */
export function enrich(document: OpenAPIObject, routes: Map<string, RouteFacts>): OpenAPIObject {
  const components = document.components as Json;
  const schemas = ((components.schemas as Json | undefined) ?? {}) as Record<string, Json>;
  components.schemas = { ...schemas, ...COMPONENT_SCHEMAS };
  components.parameters = { ...(components.parameters as Json), ...COMPONENT_PARAMETERS };
  components.responses = { ...(components.responses as Json), ...COMPONENT_RESPONSES };
  components.headers = { ...(components.headers as Json), ...COMPONENT_HEADERS };

  for (const path of Object.keys(document.paths)) {
    if (UNDOCUMENTED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) delete document.paths[path];
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item as Record<string, Json>)) {
      const operation = value as Json;
      const facts = routes.get(String(operation.operationId));
      if (!facts) continue;
      describeOperation(path, method, operation, facts, components.schemas as Record<string, Json>);
    }
  }
  // Resources added later get a tag entry too, after the known ones.
  const used = new Set(Object.values(document.paths).flatMap((item) => Object.values(item as Record<string, Json>).flatMap((op) => (op.tags as string[]) ?? [])));
  const tags = [...TAGS.filter((tag) => used.has(tag.name)), ...[...used].filter((name) => !TAGS.some((tag) => tag.name === name)).map((name) => ({ name }))];
  (document as unknown as Json).tags = tags;
  return document;
}

function describeOperation(path: string, method: string, operation: Json, facts: RouteFacts, schemas: Record<string, Json>): void {
  const write = method !== 'get' && method !== 'head' && !facts.isPublic && !facts.adminOnly;
  operation.tags = [tagOf(path)];

  // Parameters: every path template has its parameter; the wait, cookies and Idempotency-Key are described once.
  const declared = (operation.parameters as Json[] | undefined) ?? [];
  const parameters: Json[] = [];
  for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1])) {
    parameters.push({ name, in: 'path', required: true, ...(PATH_PARAMETERS[name] ?? { schema: { type: 'string' } }) });
  }
  const seen = new Set<string>();
  for (const parameter of declared) {
    const key = `${parameter.in}:${parameter.name}`;
    if (parameter.in === 'path' || seen.has(key)) continue;
    if (parameter.in === 'query' && parameter.name === WAIT_QUERY) continue;
    if (parameter.in === 'header' && String(parameter.name).toLowerCase() === 'cookie') continue;
    seen.add(key);
    parameters.push(parameter.in === 'query' ? { ...parameter, required: false } : parameter);
  }
  for (const cookie of facts.cookies) parameters.push({ name: cookie.name, in: 'cookie', required: false, description: cookie.description, schema: { type: 'string' } });
  if (facts.waitsForPosition) parameters.push(ref('parameters', 'WaitForPosition'));
  if (write) parameters.push(ref('parameters', 'IdempotencyKey'));
  operation.parameters = parameters;

  // Body: what @ApiBody says, else the DTO's validation rules, in the media type the route takes.
  if (facts.hasBody) {
    const requestBody = (operation.requestBody as Json | undefined) ?? {};
    const content = (requestBody.content as Record<string, Json> | undefined) ?? {};
    const schema = (Object.values(content)[0]?.schema as Json | undefined) ?? {};
    const placeholder = facts.bodyDto && schema.$ref === `#/components/schemas/${facts.bodyDto.name}`;
    if (facts.bodyDto && placeholder) {
      schemas[facts.bodyDto.name] = dtoSchema(facts.bodyDto);
    } else if (facts.bodyDto && !placeholder) {
      delete schemas[facts.bodyDto.name]; // The scanner's empty placeholder; the documented schema says more.
    }
    // A body without @ApiBody or a DTO stays undescribed here; the document's completeness check names it.
    operation.requestBody = { required: requestBody.required ?? true, content: { [facts.bodyMediaType]: { schema } } };
  }

  // Success answers are the route's own; writes carry the log position.
  const responses = { ...(operation.responses as Record<string, Json>) };
  if (write) {
    for (const [status, response] of Object.entries(responses)) {
      if (status.startsWith('2')) response.headers = { [POSITION_HEADER]: ref('headers', 'LogPosition'), [UNIFICATION_HEADER]: ref('headers', 'Unification') };
    }
  }
  for (const [status, name] of Object.entries(errorsOf(path, operation, facts, write))) responses[status] ??= ref('responses', name);
  operation.responses = responses;

  // Security: the bearer token with the route's scopes (OpenAPI 3.1 lists scopes for any scheme).
  if (facts.adminOnly) {
    operation.security = [{ [ADMIN]: [] }];
  } else if (facts.isPublic) {
    operation.security = path.includes('/oauth2/') ? [{ [CLIENT_BASIC]: [] }, {}] : [];
  } else {
    operation.security = [{ [BEARER]: facts.scopes }];
    operation['x-required-scopes'] = facts.scopes;
    const scopes = facts.scopes.length > 0 ? facts.scopes.map((s) => `\`${s}\``).join(', ') : 'none beyond a valid token';
    operation.description = [operation.description, `**Scopes:** ${scopes}.`].filter(Boolean).join('\n\n');
  }
}

/** Every error a route can answer follows from what it takes: parameters, a body, a token, the log. */
function errorsOf(path: string, operation: Json, facts: RouteFacts, write: boolean): Record<string, string> {
  // Any request may repeat a header or carry too many bytes of them.
  const errors: Record<string, string> = { '400': 'BadRequest', '431': 'HeadersTooLarge' };
  if (!facts.isPublic || facts.adminOnly || path.includes('/oauth2/')) errors['401'] = 'Unauthorized';
  if (!facts.isPublic || facts.adminOnly) errors['403'] = 'Forbidden';
  // A path parameter may name nothing there is, or be too long to read.
  if (path.includes('{')) Object.assign(errors, { '404': 'NotFound', '414': 'UriTooLong' });
  if (write) Object.assign(errors, { '409': 'Conflict', '422': 'UnprocessableContent' });
  if (facts.waitsForPosition) errors['409'] = 'Conflict';
  if (operation.requestBody) Object.assign(errors, { '413': 'PayloadTooLarge', '415': 'UnsupportedMediaType' });
  // Everything behind a token reads or writes the log.
  if (!facts.isPublic || facts.adminOnly) errors['503'] = facts.waitsForPosition ? 'ReadModelBehind' : 'Unavailable';
  return errors;
}

/**
 * The resource under the API base path (`profiles`, `profile-schema`…), `auth` for tokens,
 * `operations` for health and metrics, else the first path segment (`admin`).
 */
function tagOf(path: string): string {
  const api = path.match(/^\/t\/\{org\}\/cds\/api\/v\d+\/([^/]+)/);
  if (api) return api[1];
  if (path.includes('/oauth2/')) return 'auth';
  if (path === '/metrics' || path.startsWith('/health/')) return 'operations';
  return path.split('/')[1] || 'operations';
}
