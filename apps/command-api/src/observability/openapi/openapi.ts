import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { POSITION_HEADER, WAIT_QUERY } from '../../http/log-position';
import { dtoSchema } from './dto-schema';
import { ROUTE_DOCS } from './route-docs';
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

/** Adds to the scanned document what the routes say (scopes, waits, writes, errors) and what ROUTE_DOCS adds. */
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
  const doc = ROUTE_DOCS[facts.operationId];
  const write = method !== 'get' && method !== 'head' && !facts.isPublic;
  operation.tags = [tagOf(path)];
  if (doc?.summary) operation.summary = doc.summary;
  if (doc?.description) operation.description = doc.description;

  // Parameters: every path template has its parameter; queries are optional; known ones described once.
  const declared = (operation.parameters as Json[] | undefined) ?? [];
  const extra = doc?.parameters ?? [];
  const replaced = new Set(extra.map((p) => `${p.in}:${p.name}`));
  const parameters: Json[] = [];
  for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1])) {
    parameters.push({ name, in: 'path', required: true, ...(PATH_PARAMETERS[name] ?? { schema: { type: 'string' } }) });
  }
  for (const parameter of declared) {
    if (parameter.in === 'path' || replaced.has(`${parameter.in}:${parameter.name}`)) continue;
    if (parameter.in === 'query' && parameter.name === WAIT_QUERY) continue;
    if (parameter.in === 'header' && String(parameter.name).toLowerCase() === 'cookie') continue;
    parameters.push(parameter.in === 'query' ? { ...parameter, required: false } : parameter);
  }
  parameters.push(...extra);
  if (facts.waitsForPosition) parameters.push(ref('parameters', 'WaitForPosition'));
  if (write) parameters.push(ref('parameters', 'IdempotencyKey'));
  operation.parameters = parameters;

  // Body: the route's own schema, else the DTO's validation rules, else any JSON object.
  if (doc?.body || facts.hasBody) {
    let schema: Json = doc?.body ?? { type: 'object' };
    if (facts.bodyDto && doc?.body) {
      delete schemas[facts.bodyDto.name]; // The scanner's empty placeholder; the documented schema says more.
    } else if (facts.bodyDto) {
      schemas[facts.bodyDto.name] = dtoSchema(facts.bodyDto);
      schema = ref('schemas', facts.bodyDto.name);
    }
    operation.requestBody = { required: doc?.bodyRequired ?? true, content: { [doc?.bodyType ?? 'application/json']: { schema } } };
  }

  // Success responses: documented ones replace the scanned placeholders; writes carry the log position.
  const responses: Record<string, Json> = {};
  const documented = doc?.responses;
  if (documented) {
    for (const [status, response] of Object.entries(documented)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } } : {}),
      };
    }
  } else {
    for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
      responses[status] = { ...response, description: (response.description as string) || 'Done.' };
    }
  }
  if (write) {
    for (const [status, response] of Object.entries(responses)) {
      if (status.startsWith('2')) response.headers = { [POSITION_HEADER]: ref('headers', 'LogPosition') };
    }
  }

  // Errors: the shape is always Error; which ones a route can answer follows from what it takes.
  const errors: Record<string, string> = { '400': 'BadRequest' };
  if (!facts.isPublic || facts.adminOnly) Object.assign(errors, { '401': 'Unauthorized', '403': 'Forbidden' });
  if (facts.isPublic && path.includes('/oauth2/')) Object.assign(errors, { '401': 'Unauthorized' });
  if (/\{(id|attributeId|ruleId)\}/.test(path)) errors['404'] = 'NotFound';
  if (write) errors['409'] = 'Conflict';
  if (operation.requestBody) Object.assign(errors, { '413': 'PayloadTooLarge', '415': 'UnsupportedMediaType' });
  if (operation.tags && (operation.tags as string[])[0] === 'operations') delete errors['400']; // Health and metrics take nothing.
  for (const [status, name] of Object.entries(errors)) responses[status] ??= ref('responses', name);
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
