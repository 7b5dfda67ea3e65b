import { PROFILE_COOKIE } from '../../profiles/shared/profile-cookie';
import { Json, ref } from './schemas';

/**
 * What the code cannot tell the document: summaries, the shape of bodies the controllers take raw
 * (attribute maps are checked against the tenant's schema, not by a DTO) and of what they answer.
 * Keyed by operation id (`<Controller>_<method>`). Scopes, tags, path parameters, error responses,
 * the log-position header and the wait parameter are derived from the routes themselves, so a
 * route missing here is still documented, only more tersely.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** JSON schema of the body (application/json unless `bodyType` says otherwise). */
  body?: Json;
  bodyType?: string;
  bodyRequired?: boolean;
  /** Success responses by status; they replace the generated ones. */
  responses?: Record<string, { description: string; schema?: Json; contentType?: string }>;
  parameters?: Json[];
}

const profile = ref('schemas', 'Profile');
const attribute = ref('schemas', 'AttributeDefinition');
const rule = ref('schemas', 'UnificationRule');
const rules = { type: 'array', items: rule };

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  IssueTokenController_issue: {
    summary: 'Get an access token (client credentials)',
    description:
      'The built-in issuer: Basic auth with the client id and secret (or `client_id` / `client_secret` form fields). ' +
      'The token is bound to the organization in the path and carries the scopes asked for (all when `scope` is absent).',
    body: ref('schemas', 'TokenRequest'),
    bodyType: 'application/x-www-form-urlencoded',
    responses: { '200': { description: 'A bearer token.', schema: ref('schemas', 'TokenResponse') } },
  },
  CreateProfileController_create: {
    summary: 'Create a temporary profile',
    description: `Answers with the profile and sets the \`${PROFILE_COOKIE}\` cookie to its tracker. A request carrying a live \`${PROFILE_COOKIE}\` cookie gets that profile (200) instead of a new one.`,
    body: ref('schemas', 'CreateProfileRequest'),
    bodyRequired: false,
    parameters: [{ name: PROFILE_COOKIE, in: 'cookie', required: false, description: "The browser's anonymous profile tracker.", schema: { type: 'string' } }],
    responses: {
      '201': { description: 'Created; `Set-Cookie` carries the tracker and `Location` the profile.', schema: profile },
      '200': { description: "The cookie's profile (or its survivor).", schema: profile },
    },
  },
  GetProfileController_get: {
    summary: 'Read a unified profile',
    responses: { '200': { description: 'The profile; for a merged-away id, its survivor.', schema: profile } },
  },
  ListProfilesController_list: {
    summary: 'List and filter profiles',
    parameters: [
      {
        name: 'filter',
        in: 'query',
        required: false,
        description: '`<attribute> eq|co|sw <value>`, e.g. `traits.interests co run` or `user_id eq user-42`; repeat to combine (all must match).',
        schema: { type: 'array', items: { type: 'string' } },
        style: 'form',
        explode: true,
      },
      { name: 'page_size', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      { name: 'cursor', in: 'query', required: false, description: '`next_cursor` of the previous page.', schema: { type: 'string' } },
    ],
    responses: { '200': { description: 'One page, in profile id order.', schema: ref('schemas', 'ProfilePage') } },
  },
  PatchProfileController_patch: {
    summary: 'Write attributes to a profile',
    description: 'Each value meets the stored one through its merge strategy (combine, overwrite, oldest, sum); `null` clears a value.',
    body: ref('schemas', 'ProfileAttributes'),
    responses: { '200': { description: 'The profile as the write left it.', schema: profile } },
  },
  DeleteProfileController_remove: {
    summary: 'Erase a profile',
    description: 'Erases the profile and every profile merged into it.',
    responses: { '204': { description: 'Erased.' } },
  },
  SyncProfileController_sync: {
    summary: 'Sign-in: attach a user id to the browser’s profile',
    description:
      '`{event: "AUTHENTICATION_SUCCESS", user_id, anonymous_profile_tracker}`, or the camelCase `{userId, profileCookie}`. ' +
      'The first profile to carry a user id becomes permanent; later ones merge into it.',
    responses: { '200': { description: 'The permanent profile.', schema: profile } },
  },
  DefineAttributesController_define: {
    summary: 'Define attributes in a scope',
    description: 'One attribute object or an array of them; all are defined or none.',
    body: { oneOf: [ref('schemas', 'AttributeInput'), { type: 'array', minItems: 1, items: ref('schemas', 'AttributeInput') }] },
    responses: {
      '201': { description: 'The definitions, each with its `attribute_id` (one object for one, an array for an array).', schema: { oneOf: [attribute, { type: 'array', items: attribute }] } },
    },
  },
  ReadSchemaController_all: {
    summary: 'Read the whole profile schema',
    responses: { '200': { description: 'Definitions by scope.', schema: ref('schemas', 'ProfileSchema') } },
  },
  ReadSchemaController_scope: {
    summary: 'Read the definitions of a scope',
    responses: { '200': { description: 'The definitions.', schema: { type: 'array', items: attribute } } },
  },
  ReadSchemaController_one: {
    summary: 'Read one attribute definition',
    responses: { '200': { description: 'The definition.', schema: attribute } },
  },
  UpdateAttributeController_update: {
    summary: 'Change an attribute definition',
    body: ref('schemas', 'AttributeInput'),
    responses: { '200': { description: 'The definition as changed.', schema: attribute } },
  },
  DeleteAttributeController_remove: {
    summary: 'Remove an attribute definition',
    responses: { '204': { description: 'Removed.' } },
  },
  AddRuleController_add: {
    summary: 'Add an identity resolution rule',
    description: 'Without a priority the rule goes to the end of the list.',
    responses: { '201': { description: 'The rule with its `rule_id`.', schema: rule } },
  },
  ReadRulesController_all: {
    summary: 'List the rules',
    responses: { '200': { description: 'Every rule, highest priority (1) first.', schema: rules } },
  },
  ReadRulesController_one: {
    summary: 'Read one rule',
    responses: { '200': { description: 'The rule.', schema: rule } },
  },
  ChangeRuleController_change: {
    summary: 'Change a rule',
    description: '`property_name` is fixed: it may be sent, but only with the value it has.',
    responses: { '200': { description: 'The rule as changed.', schema: rule } },
  },
  RemoveRuleController_remove: {
    summary: 'Remove a rule',
    responses: { '204': { description: 'Removed.' } },
  },
  ReprioritizeRulesController_reprioritize: {
    summary: 'Reorder the rules',
    description: '`{priorities: [{rule_id, priority}, …]}` naming every rule once.',
    body: {
      type: 'object',
      required: ['priorities'],
      additionalProperties: false,
      properties: {
        priorities: {
          type: 'array',
          maxItems: 10_000,
          items: { type: 'object', required: ['rule_id', 'priority'], properties: { rule_id: { type: 'string' }, priority: { type: 'integer', minimum: 1 } } },
        },
      },
    },
    responses: { '200': { description: 'Every rule in its new order.', schema: rules } },
  },
  HealthController_live: {
    summary: 'Liveness: the process answers',
    responses: { '200': { description: 'Alive.', schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } } },
  },
  HealthController_ready: {
    summary: 'Readiness: the log answers and the projector follows it',
    responses: {
      '200': { description: 'Ready.', schema: ref('schemas', 'Readiness') },
      '503': { description: 'Not ready: the event store cannot answer or the projector stopped (see `problems`).', schema: ref('schemas', 'Readiness') },
    },
  },
  MetricsController_scrape: {
    summary: 'Prometheus metrics',
    responses: { '200': { description: 'Text exposition format 0.0.4.', contentType: 'text/plain; version=0.0.4', schema: { type: 'string' } } },
  },
};
