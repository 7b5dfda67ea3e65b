import { MAX_PRIORITY, MAX_VALUES_LIMIT, MERGE_STRATEGIES, RULE_NAME_MAX_LENGTH, SCOPES as ATTRIBUTE_SCOPES, VALUE_TYPES } from '@cds/domain';
import { ALL_SCOPES } from '../../auth/scopes';
import { MAX_WAIT_MS, POSITION_HEADER, WAIT_QUERY } from '../../http/log-position';
import { RETRY_AFTER_SECONDS } from '../../http/read-model-behind.error';
import { HISTORY_ITEM_SCHEMA } from './history-item.schema';

/** OpenAPI 3.1 fragments are plain JSON here: JSON Schema 2020-12 allows more than the typed interfaces say. */
export type Json = Record<string, unknown>;

export const ref = (kind: 'schemas' | 'parameters' | 'responses' | 'headers', name: string): Json => ({ $ref: `#/components/${kind}/${name}` });
export const json = (schema: Json): Json => ({ 'application/json': { schema } });
export const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] });

/** Values are typed by the profile schema of the tenant, so any JSON value may appear. */
const attributeValues: Json = {
  type: 'object',
  description: 'Attribute name → value. Names, value types and merge strategies come from the profile schema of the scope; `null` clears a value.',
  additionalProperties: true,
  example: { interests: ['running'], last_page: '/shoes' },
};

export const COMPONENT_SCHEMAS: Record<string, Json> = {
  Error: {
    type: 'object',
    description: 'Every error: a stable code to branch on, a message for people, and per-field details when there are any.',
    required: ['code', 'message'],
    additionalProperties: false,
    properties: {
      code: { type: 'string', example: 'invalid_body' },
      message: { type: 'string', example: 'The request body is not valid' },
      details: {
        type: 'array',
        items: {
          type: 'object',
          required: ['reason'],
          properties: { field: { type: 'string' }, reason: { type: 'string' } },
        },
      },
    },
  },
  AttributeValues: attributeValues,
  ApplicationData: {
    type: 'object',
    description: "Per application (its client id): that application's attribute values.",
    additionalProperties: { $ref: '#/components/schemas/AttributeValues' },
    example: { shop_web: { viewed_products: ['sku-1'] } },
  },
  ProfileAttributes: {
    type: 'object',
    description: 'Attributes by scope; each value meets the stored one through its merge strategy.',
    additionalProperties: false,
    properties: {
      identity_attributes: ref('schemas', 'AttributeValues'),
      traits: ref('schemas', 'AttributeValues'),
      application_data: ref('schemas', 'ApplicationData'),
    },
  },
  CreateProfileRequest: {
    type: 'object',
    description: '`{}` or initial attributes by scope.',
    additionalProperties: false,
    properties: {
      identity_attributes: ref('schemas', 'AttributeValues'),
      traits: ref('schemas', 'AttributeValues'),
      application_data: ref('schemas', 'ApplicationData'),
      tracking_consent: { type: 'boolean', default: true, description: '`false` marks a profile kept on legitimate interest.' },
    },
  },
  Profile: {
    type: 'object',
    description: 'The unified profile. A merged-away id answers with its survivor.',
    required: ['profile_id', 'user_id', 'anonymous_profile_tracker', 'verified', 'meta', 'identity_attributes', 'traits', 'application_data', 'merged_from'],
    properties: {
      profile_id: { type: 'string', format: 'uuid' },
      user_id: nullable({ type: 'string' }),
      anonymous_profile_tracker: { type: 'string' },
      verified: { type: 'boolean' },
      meta: {
        type: 'object',
        required: ['created_at', 'updated_at', 'location'],
        properties: {
          created_at: { type: 'string', format: 'date-time' },
          updated_at: { type: 'string', format: 'date-time' },
          location: { type: 'string', example: 'acme/cds/api/v1/profiles/0b7e…' },
        },
      },
      identity_attributes: ref('schemas', 'AttributeValues'),
      traits: ref('schemas', 'AttributeValues'),
      application_data: ref('schemas', 'ApplicationData'),
      merged_from: {
        type: 'array',
        items: {
          type: 'object',
          required: ['profile_id', 'reason', 'triggered_by', 'merged_at'],
          properties: {
            profile_id: { type: 'string', format: 'uuid' },
            merged_into: { type: 'string', format: 'uuid', description: 'The profile it merged into: this one, or one merged into it before.' },
            reason: { type: 'string', enum: ['user_id', 'rule', 'manual'] },
            rule_name: { type: 'string' },
            triggered_by: { type: 'string', enum: ['survivor', 'merged'] },
            merged_at: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
  },
  SubjectExport: {
    type: 'object',
    description: 'Everything kept about a data subject, as one document.',
    required: ['format', 'version', 'organization', 'exported_at', 'profile', 'merged_profiles', 'history'],
    properties: {
      format: { type: 'string', enum: ['cds-subject-export'] },
      version: { type: 'integer', enum: [1] },
      organization: { type: 'string' },
      exported_at: { type: 'string', format: 'date-time' },
      profile: ref('schemas', 'Profile'),
      merged_profiles: {
        type: 'array',
        description: 'Every profile merged into it, directly or through others.',
        items: {
          type: 'object',
          required: ['profile_id', 'merged_at', 'reason', 'triggered_by', 'when_merged'],
          properties: {
            profile_id: { type: 'string', format: 'uuid' },
            merged_at: { type: 'string', format: 'date-time' },
            reason: { type: 'string', enum: ['user_id', 'rule', 'manual'] },
            rule_name: { type: 'string' },
            triggered_by: { type: 'string', enum: ['survivor', 'merged'] },
            when_merged: nullable({
              type: 'object',
              description: 'Its data as it was when it merged in (null when it came in through another merged profile).',
              required: ['user_id', 'identity_attributes', 'traits', 'application_data'],
              properties: {
                user_id: nullable({ type: 'string' }),
                identity_attributes: ref('schemas', 'AttributeValues'),
                traits: ref('schemas', 'AttributeValues'),
                application_data: ref('schemas', 'ApplicationData'),
              },
            }),
          },
        },
      },
      history: { type: 'array', items: ref('schemas', 'HistoryItem'), description: 'The whole history, oldest first.' },
    },
  },
  ProfilePage: {
    type: 'object',
    required: ['profiles', 'pagination'],
    properties: {
      profiles: { type: 'array', items: ref('schemas', 'Profile') },
      pagination: {
        type: 'object',
        required: ['page_size', 'count'],
        properties: {
          page_size: { type: 'integer' },
          count: { type: 'integer' },
          next_cursor: { type: 'string', description: 'Pass as `cursor` for the next page; absent on the last page.' },
        },
      },
    },
  },
  AttributeInput: {
    type: 'object',
    required: ['attribute_name', 'value_type', 'merge_strategy'],
    additionalProperties: false,
    properties: {
      attribute_name: { type: 'string', description: 'The name, optionally with the scope of the path: `interests` or `traits.interests`.' },
      value_type: { type: 'string', enum: [...VALUE_TYPES] },
      multi_valued: { type: 'boolean', default: false },
      merge_strategy: { type: 'string', enum: [...MERGE_STRATEGIES], description: '`combine` needs `multi_valued: true`; `sum` needs a number type.' },
      max_values: { type: 'integer', minimum: 1, description: 'Multi-valued only: the oldest values beyond it are dropped.' },
      application_identifier: { type: 'string', description: 'application_data only: the client id of the application.' },
      description: { type: 'string' },
    },
  },
  AttributeChange: {
    type: 'object',
    description: 'A changed definition. The name, value type and application are fixed: they may be sent, but only with the values they have.',
    required: ['merge_strategy'],
    additionalProperties: false,
    properties: {
      attribute_name: { type: 'string' },
      value_type: { type: 'string', enum: [...VALUE_TYPES] },
      multi_valued: { type: 'boolean', default: false },
      merge_strategy: { type: 'string', enum: [...MERGE_STRATEGIES] },
      max_values: { type: 'integer', minimum: 1, maximum: MAX_VALUES_LIMIT },
      application_identifier: { type: 'string' },
      description: { type: 'string', maxLength: 1024 },
    },
  },
  AttributeDefinition: {
    type: 'object',
    required: ['attribute_id', 'attribute_name', 'scope', 'name', 'value_type', 'multi_valued', 'merge_strategy'],
    properties: {
      attribute_id: { type: 'string' },
      attribute_name: { type: 'string', example: 'traits.interests' },
      scope: { type: 'string', enum: [...ATTRIBUTE_SCOPES] },
      name: { type: 'string', example: 'interests' },
      value_type: { type: 'string', enum: [...VALUE_TYPES] },
      multi_valued: { type: 'boolean' },
      merge_strategy: { type: 'string', enum: [...MERGE_STRATEGIES] },
      max_values: { type: 'integer' },
      application_identifier: { type: 'string' },
      description: { type: 'string' },
    },
  },
  ProfileSchema: {
    type: 'object',
    description: 'Every definition, by scope.',
    properties: Object.fromEntries(ATTRIBUTE_SCOPES.map((scope) => [scope, { type: 'array', items: ref('schemas', 'AttributeDefinition') }])),
  },
  UnificationRule: {
    type: 'object',
    required: ['rule_id', 'rule_name', 'property_name', 'priority', 'is_active', 'immutable'],
    properties: {
      rule_id: { type: 'string' },
      rule_name: { type: 'string', maxLength: RULE_NAME_MAX_LENGTH },
      property_name: { type: 'string', example: 'identity_attributes.email' },
      priority: { type: 'integer', minimum: 1, maximum: MAX_PRIORITY, description: '1 is evaluated first.' },
      is_active: { type: 'boolean' },
      immutable: { type: 'boolean', description: 'Two profiles holding different non-empty values are never merged.' },
      blocked_values: { type: 'array', items: { type: 'string' }, description: 'Values that never match through this rule (exact, case-sensitive).' },
      max_profiles: nullable({ type: 'integer', minimum: 2, description: 'At most this many profiles joined into one unified profile through this rule.' }),
    },
  },
  RulePriorities: {
    type: 'object',
    required: ['priorities'],
    additionalProperties: false,
    properties: {
      priorities: {
        type: 'array',
        maxItems: 10_000,
        items: {
          type: 'object',
          required: ['rule_id', 'priority'],
          additionalProperties: false,
          properties: { rule_id: { type: 'string' }, priority: { type: 'integer', minimum: 1, maximum: MAX_PRIORITY } },
        },
      },
    },
  },
  HistoryPage: {
    type: 'object',
    description: 'One page of a profile’s history, oldest first.',
    required: ['profile_id', 'profile_ids', 'events', 'next_cursor'],
    properties: {
      profile_id: { type: 'string', format: 'uuid', description: 'The live profile (a merged-away id leads to its survivor).' },
      profile_ids: { type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Its id and those of every profile merged into it.' },
      events: { type: 'array', items: ref('schemas', 'HistoryItem') },
      next_cursor: nullable({ type: 'string', description: 'Pass as `cursor` for the next page; null on the last.' }),
    },
  },
  HistoryItem: HISTORY_ITEM_SCHEMA,
  DeadLetterPage: {
    type: 'object',
    required: ['generation', 'count', 'dead_letters', 'next_after'],
    properties: {
      generation: { type: 'string' },
      count: { type: 'integer' },
      dead_letters: {
        type: 'array',
        items: {
          type: 'object',
          required: ['projector', 'event_id', 'stream', 'revision', 'position', 'type', 'error', 'at'],
          properties: {
            projector: { type: 'string' },
            event_id: { type: 'string' },
            stream: { type: 'string' },
            revision: { type: 'integer' },
            position: { type: 'integer' },
            type: { type: 'string' },
            error: { type: 'string' },
            at: { type: 'string', format: 'date-time' },
          },
        },
      },
      next_after: nullable({ type: 'integer' }),
    },
  },
  RebuildRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      fresh: { type: 'boolean', default: false, description: 'Start over instead of resuming the unfinished generation.' },
      switch: { type: 'boolean', default: true, description: 'Switch readers to the new generation once it has caught up.' },
      digest: { type: 'boolean', default: false },
      batch_size: { type: 'integer', minimum: 1, maximum: 100_000, default: 1000 },
    },
  },
  RebuildJob: {
    type: 'object',
    required: ['id', 'state', 'generation', 'started_at', 'finished_at', 'progress', 'result', 'error'],
    properties: {
      id: { type: 'string' },
      state: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
      generation: nullable({ type: 'string' }),
      started_at: { type: 'string', format: 'date-time' },
      finished_at: nullable({ type: 'string', format: 'date-time' }),
      progress: nullable({ type: 'object' }),
      result: nullable({ type: 'object' }),
      error: nullable({ type: 'string' }),
    },
  },
  TokenRequest: {
    type: 'object',
    required: ['grant_type'],
    properties: {
      grant_type: { type: 'string', enum: ['client_credentials'] },
      scope: { type: 'string', description: `Space-separated; all scopes when absent. One or more of: ${ALL_SCOPES.join(', ')}.` },
      client_id: { type: 'string', description: 'Instead of Basic auth.' },
      client_secret: { type: 'string', description: 'Instead of Basic auth.' },
    },
  },
  TokenResponse: {
    type: 'object',
    required: ['access_token', 'token_type', 'expires_in', 'scope'],
    properties: {
      access_token: { type: 'string' },
      token_type: { type: 'string', enum: ['Bearer'] },
      expires_in: { type: 'integer', description: 'Seconds.' },
      scope: { type: 'string' },
    },
  },
  Readiness: {
    type: 'object',
    required: ['status', 'log_head', 'projector'],
    properties: {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      log_head: nullable({ type: 'integer', description: 'Position of the last event in the log; null while it is empty or unreachable.' }),
      projector: { type: 'object', description: 'The in-process projector (position, events projected, running, last error) or the external checkpoint.' },
      unifier: {
        type: 'object',
        description: 'The unifier partitions this instance holds by lease (`leases.held`; null when it takes none) and its unifiers running (how far each got).',
        properties: { leases: nullable({ type: 'object' }), running: { type: 'array', items: { type: 'object' } } },
      },
      problems: { type: 'array', items: { type: 'string' }, description: 'Why the service is not ready.' },
    },
  },
};

export const COMPONENT_PARAMETERS: Record<string, Json> = {
  WaitForPosition: {
    name: WAIT_QUERY,
    in: 'query',
    required: false,
    description:
      `A log position a write answered with (\`${POSITION_HEADER}\`): the read waits, at most ${MAX_WAIT_MS / 1000} s, until the read model holds it. ` +
      'A position the log has not reached answers 409 `position_not_reached` at once; a wait that runs out answers 503 `read_model_behind` with Retry-After.',
    schema: { type: 'string', pattern: '^\\d{1,16}$' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'A retried write with the same key has no second effect (1 to 200 visible ASCII characters).',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  },
};

export const COMPONENT_HEADERS: Record<string, Json> = {
  LogPosition: {
    description: `The log position this write produced; pass it as \`${WAIT_QUERY}\` to read your own write.`,
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  Unification: {
    description: '`pending` when the answer came before identity resolution had acted on the write; it still will, and a later read shows the unified profile.',
    schema: { type: 'string', enum: ['pending'] },
  },
  RetryAfter: {
    description: 'Seconds to wait before asking again.',
    schema: { type: 'string', pattern: '^\\d+$', example: String(RETRY_AFTER_SECONDS) },
  },
};

const errorResponse = (description: string): Json => ({ description, content: json(ref('schemas', 'Error')) });

export const COMPONENT_RESPONSES: Record<string, Json> = {
  BadRequest: errorResponse('The request is not valid: body, parameter or organization handle (see `details`).'),
  Unauthorized: errorResponse('No bearer token, or one that is not valid.'),
  Forbidden: errorResponse("The token is for another organization or lacks the route's scope."),
  NotFound: errorResponse('Nothing with that id in this organization.'),
  Conflict: errorResponse('The request contradicts what is stored (a name already taken, a rule that blocks the change).'),
  PayloadTooLarge: errorResponse('The body is larger than the limit.'),
  UriTooLong: errorResponse('A path parameter is longer than the service reads.'),
  UnsupportedMediaType: errorResponse('The body is not of the media type the route takes (JSON, or a form for tokens).'),
  UnprocessableContent: errorResponse('The Idempotency-Key was used before with another body (`idempotency_key_reused`).'),
  HeadersTooLarge: errorResponse('The request line and headers together exceed 16 KB.'),
  Unavailable: {
    ...errorResponse(
      'Not now, retry: `log_unavailable` (the log cannot be reached; nothing was written), `write_contention` (too many concurrent writes to one profile; nothing was written), ' +
        '`unification_pending` (a sign-in is recorded but its profiles are still being unified; retrying the same request has no second effect).',
    ),
    headers: { 'Retry-After': ref('headers', 'RetryAfter') },
  },
  ReadModelBehind: {
    ...errorResponse(
      `The read model or the log cannot answer right now: \`read_model_behind\` when a \`${WAIT_QUERY}\` wait ran out (the write is in the log; retry the read), \`log_unavailable\` when the log cannot be reached.`,
    ),
    headers: { 'Retry-After': ref('headers', 'RetryAfter') },
  },
};

/** Path parameters as they appear in routes, described once. */
export const PATH_PARAMETERS: Record<string, Json> = {
  org: { description: 'Organization handle (the tenant); the token must be for it.', schema: { type: 'string' }, example: 'acme' },
  id: { description: 'Profile id.', schema: { type: 'string', format: 'uuid' } },
  scope: { description: 'Attribute scope.', schema: { type: 'string', enum: [...ATTRIBUTE_SCOPES] } },
  attributeId: { description: 'Attribute id, as defining it answered.', schema: { type: 'string' } },
  ruleId: { description: 'Rule id, as adding it answered.', schema: { type: 'string' } },
};
