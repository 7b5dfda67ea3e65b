import { assertTenant } from '@cds/application';
import { ErrorDetail, isPlainObject, isUuid, JsonObject, validationError } from '@cds/domain';

export type ProfileTarget =
  | { kind: 'profile_id'; value: string }
  | { kind: 'anonymous_profile_tracker'; value: string }
  | { kind: 'user_id'; value: string };

/** SPEC §7 activity: applied like a PATCH; event_id makes redelivery harmless. */
export interface ActivityMessage {
  org: string;
  eventId: string;
  target: ProfileTarget;
  attributes: JsonObject;
}

/** A sign-in arriving on the identity topic. */
export interface IdentityMessage {
  org: string;
  eventId: string;
  userId: string;
  tracker: string;
}

const ATTRIBUTE_SECTIONS = ['traits', 'application_data', 'identity_attributes'];
const ACTIVITY_FIELDS = new Set(['org', 'event_id', 'profile_id', 'anonymous_profile_tracker', 'user_id', 'occurred_at', ...ATTRIBUTE_SECTIONS]);
const IDENTITY_FIELDS = new Set(['org', 'event_id', 'event', 'user_id', 'anonymous_profile_tracker', 'occurred_at']);
const TARGETS = ['profile_id', 'anonymous_profile_tracker', 'user_id'] as const;

export function parseActivityMessage(raw: string | null): ActivityMessage {
  const body = parseJson(raw);
  const details = unknownFields(body, ACTIVITY_FIELDS);
  const { org, eventId } = envelope(body, details);
  const present = TARGETS.filter((t) => body[t] !== undefined);
  if (present.length !== 1) {
    details.push({ field: 'profile_id', reason: 'exactly one of profile_id, anonymous_profile_tracker, user_id is required' });
  }
  const kind = present[0];
  const value = kind ? body[kind] : undefined;
  if (kind && (typeof value !== 'string' || value.length === 0 || value.length > 256)) {
    details.push({ field: kind, reason: 'must be a non-empty string' });
  } else if (kind === 'profile_id' && !isUuid(value as string)) {
    details.push({ field: kind, reason: 'must be a profile id (UUID)' });
  }
  if (details.length > 0) throw validationError('invalid_message', 'The activity message cannot be applied', details);
  const attributes: JsonObject = {};
  for (const section of ATTRIBUTE_SECTIONS) if (body[section] !== undefined) attributes[section] = body[section];
  return { org, eventId, target: { kind, value } as ProfileTarget, attributes };
}

export function parseIdentityMessage(raw: string | null): IdentityMessage {
  const body = parseJson(raw);
  const details = unknownFields(body, IDENTITY_FIELDS);
  const { org, eventId } = envelope(body, details);
  if (body.event !== undefined && body.event !== 'AUTHENTICATION_SUCCESS') {
    details.push({ field: 'event', reason: 'only AUTHENTICATION_SUCCESS is a sign-in' });
  }
  for (const field of ['user_id', 'anonymous_profile_tracker']) {
    if (typeof body[field] !== 'string' || (body[field] as string).length === 0) details.push({ field, reason: 'required string' });
  }
  if (details.length > 0) throw validationError('invalid_message', 'The sign-in message cannot be applied', details);
  return { org, eventId, userId: body.user_id as string, tracker: body.anonymous_profile_tracker as string };
}

function parseJson(raw: string | null): JsonObject {
  if (raw === null) throw validationError('invalid_message', 'The message has no value');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw validationError('malformed_json', 'The message value is not JSON');
  }
  if (!isPlainObject(body)) throw validationError('invalid_message', 'The message value must be a JSON object');
  return body;
}

function envelope(body: JsonObject, details: ErrorDetail[]): { org: string; eventId: string } {
  const org = body.org;
  if (typeof org !== 'string') details.push({ field: 'org', reason: 'required organization handle' });
  else {
    try {
      assertTenant(org);
    } catch {
      details.push({ field: 'org', reason: 'not an organization handle' });
    }
  }
  const eventId = body.event_id;
  if (typeof eventId !== 'string' || eventId.length === 0 || eventId.length > 200) {
    details.push({ field: 'event_id', reason: 'required string of at most 200 characters' });
  }
  if (body.occurred_at !== undefined && (typeof body.occurred_at !== 'string' || Number.isNaN(Date.parse(body.occurred_at)))) {
    details.push({ field: 'occurred_at', reason: 'must be an ISO 8601 date-time' });
  }
  return { org: org as string, eventId: eventId as string };
}

function unknownFields(body: JsonObject, allowed: Set<string>): ErrorDetail[] {
  return Object.keys(body)
    .filter((k) => !allowed.has(k))
    .map((field) => ({ field, reason: 'unknown field' }));
}
