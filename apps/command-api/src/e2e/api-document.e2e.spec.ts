import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { collectRoutes, RouteFacts } from '../observability/openapi/routes';
import { RunningApp, startTestApp } from '../../test/test-app';

type Json = Record<string, any>;
const ROOT = join(__dirname, '../../../..');

/**
 * The OpenAPI document is written beside each route (Swagger decorators) and completed from the
 * route itself. Every route the service serves must be documented: a route added without its
 * summary, its success answers or the shape of its body fails here.
 */
describe('API document completeness', () => {
  let running: RunningApp;
  let document: Json;
  let routes: Map<string, RouteFacts>;

  beforeAll(async () => {
    running = await startTestApp();
    document = (await (await fetch(`${running.baseUrl}/openapi.json`)).json()) as Json;
    routes = collectRoutes(running.app);
  });
  afterAll(() => running.stop());

  const operations = () => {
    const found = new Map<string, { path: string; method: string; operation: Json }>();
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      for (const [method, operation] of Object.entries<Json>(item)) found.set(operation.operationId, { path, method, operation });
    }
    return found;
  };
  const resolve = (node: Json): Json => (node?.$ref ? resolve(node.$ref.slice(2).split('/').reduce((at: Json, key: string) => at[key], document)) : node);
  const isConsole = (facts: RouteFacts) => facts.operationId.startsWith('ConsoleController_');

  it('has an operation for every route but the web console’s files', () => {
    const documented = operations();
    const missing = [...routes.values()].filter((facts) => !isConsole(facts) && !documented.has(facts.operationId)).map((facts) => facts.operationId);
    expect(missing).toEqual([]);
    expect(documented.size).toBe([...routes.values()].filter((facts) => !isConsole(facts)).length);
  });

  it('gives every operation a summary and describes every answer; success answers with a body have its schema', () => {
    const problems: string[] = [];
    for (const [id, { operation }] of operations()) {
      if (!operation.summary) problems.push(`${id}: no summary (@ApiOperation)`);
      const statuses = Object.keys(operation.responses);
      if (!statuses.some((status) => status.startsWith('2'))) problems.push(`${id}: no success answer (@ApiOkResponse…)`);
      for (const status of statuses) {
        const response = resolve(operation.responses[status]);
        if (!response.description) problems.push(`${id}: answer ${status} has no description (@ApiResponse)`);
        if (status.startsWith('2') && status !== '204' && !Object.values<Json>(response.content ?? {}).some((media) => media.schema)) {
          problems.push(`${id}: answer ${status} has no schema`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes the body of every route that takes one, in the media type it takes', () => {
    const problems: string[] = [];
    for (const facts of routes.values()) {
      if (!facts.hasBody || isConsole(facts)) continue;
      const content = operations().get(facts.operationId)?.operation.requestBody?.content ?? {};
      const schema = content[facts.bodyMediaType]?.schema;
      if (!schema || Object.keys(schema).length === 0) problems.push(`${facts.operationId}: body not described (@ApiBody or a DTO)`);
    }
    expect(problems).toEqual([]);
  });

  it('links created resources to operations that exist, with parameters they take', () => {
    const documented = operations();
    let links = 0;
    for (const [id, { operation }] of documented) {
      for (const response of Object.values<Json>(operation.responses)) {
        for (const [name, link] of Object.entries<Json>(resolve(response).links ?? {})) {
          links++;
          const target = documented.get(link.operationId);
          expect({ from: id, link: name, found: target !== undefined }).toEqual({ from: id, link: name, found: true });
          const taken = new Set(target!.operation.parameters.map((p: Json) => resolve(p).name));
          for (const parameter of Object.keys(link.parameters)) expect({ link: name, parameter, taken: taken.has(parameter) }).toEqual({ link: name, parameter, taken: true });
        }
      }
    }
    expect(links).toBeGreaterThanOrEqual(10);
  });

  it('lists the errors each route can answer', () => {
    const at = (path: string, method: string) => Object.keys(document.paths[`/t/{org}/cds/api/v1${path}`][method].responses);
    expect(at('/profiles/sync', 'post')).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '413', '414', '415', '431', '503']));
    expect(at('/unification-rules/priorities', 'put')).toEqual(expect.arrayContaining(['404', '414', '415']));
    expect(at('/profiles/{id}', 'get')).toEqual(expect.arrayContaining(['404', '409', '503']));
    expect(at('/profiles', 'post')).toEqual(expect.arrayContaining(['200', '201', '415']));
    const behind = resolve(document.paths['/t/{org}/cds/api/v1/profiles/{id}'].get.responses['503']);
    expect(behind.headers['Retry-After']).toBeDefined();
  });

  it('documents as_of on a profile read and the paging of its history', () => {
    const names = (path: string) =>
      document.paths[`/t/{org}/cds/api/v1${path}`].get.parameters.map((p: Json) => resolve(p)).map((p: Json) => `${p.in}:${p.name}`);
    expect(names('/profiles/{id}')).toEqual(expect.arrayContaining(['query:as_of', 'query:wait_for_position']));
    expect(names('/profiles/{id}/history')).toEqual(expect.arrayContaining(['query:page_size', 'query:cursor']));
    const page = resolve(document.paths['/t/{org}/cds/api/v1/profiles/{id}/history'].get.responses['200'].content['application/json'].schema);
    expect(resolve(page.properties.events.items).oneOf.map((item: Json) => item.properties.type.enum[0])).toEqual(
      expect.arrayContaining(['profile_created', 'attributes_written', 'user_id_stamped', 'merged_away', 'profile_merged_in', 'profile_erased']),
    );
  });

  it('matches the client types the console and other clients compile against (npm run api-types)', () => {
    const check = spawnSync(process.execPath, ['scripts/api-types.mjs', '--check'], { input: JSON.stringify(document), encoding: 'utf8', cwd: ROOT });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('takes a form on the token endpoint and JSON everywhere else', () => {
    for (const [id, { path, operation }] of operations()) {
      if (!operation.requestBody) continue;
      expect({ id, types: Object.keys(operation.requestBody.content) }).toEqual({
        id,
        types: [path.endsWith('/oauth2/token') ? 'application/x-www-form-urlencoded' : 'application/json'],
      });
    }
  });
});
