/**
 * OpenAPI links from a created resource to the operations that take its id, so that clients (and
 * stateful API testing) can follow them. Operation ids are `<Controller>_<method>`; the API
 * document's completeness check fails on a link to an operation that does not exist.
 */
export function linksTo(parameters: Record<string, string>, ...operationIds: string[]): Record<string, { operationId: string; parameters: Record<string, string> }> {
  return Object.fromEntries(operationIds.map((operationId) => [operationId, { operationId, parameters: { org: '$request.path.org', ...parameters } }]));
}
