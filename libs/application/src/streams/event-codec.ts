import {
  PROFILE_EVENT_TYPES,
  ProfileEvent,
  RULE_EVENT_TYPES,
  RuleEvent,
  SCHEMA_EVENT_TYPES,
  SchemaEvent,
  USER_ID_CLAIM_EVENT_TYPES,
  IDENTITY_CLAIM_EVENT_TYPES,
  IdentityValueClaimed,
  UserIdClaimed,
} from '@cds/domain';
import { NewEvent, RecordedEvent } from '../ports/event-store.port';

/** Every stored event carries the version of its data's shape; readers upcast older ones. */
export const CURRENT_SCHEMA_VERSION = 1;

export class UnreadableEventError extends Error {
  constructor(readonly event: Pick<RecordedEvent, 'id' | 'streamId' | 'revision' | 'position' | 'type'>, reason: string) {
    super(`Event ${event.type} at ${event.streamId}@${event.revision} cannot be read: ${reason}`);
    this.name = 'UnreadableEventError';
  }
}

type DomainEventLike = { type: string; data: unknown };

export function toNewEvent(event: DomainEventLike, id: string, metadata: { tenant: string; correlation_id?: string }): NewEvent {
  return {
    id,
    type: event.type,
    data: event.data,
    metadata: { ...metadata, schema_version: CURRENT_SCHEMA_VERSION },
  };
}

function decode<E extends DomainEventLike>(recorded: RecordedEvent, types: ReadonlyArray<string>): E {
  if (!types.includes(recorded.type)) throw new UnreadableEventError(recorded, 'unknown event type');
  const version = recorded.metadata?.schema_version;
  if (version !== CURRENT_SCHEMA_VERSION) {
    throw new UnreadableEventError(recorded, `unsupported schema_version ${String(version)}`);
  }
  if (typeof recorded.data !== 'object' || recorded.data === null) {
    throw new UnreadableEventError(recorded, 'data is not an object');
  }
  return { type: recorded.type, data: recorded.data } as E;
}

export const decodeProfileEvent = (recorded: RecordedEvent): ProfileEvent =>
  decode<ProfileEvent>(recorded, PROFILE_EVENT_TYPES);
export const decodeSchemaEvent = (recorded: RecordedEvent): SchemaEvent =>
  decode<SchemaEvent>(recorded, SCHEMA_EVENT_TYPES);
export const decodeUserIdClaim = (recorded: RecordedEvent): UserIdClaimed =>
  decode<UserIdClaimed>(recorded, USER_ID_CLAIM_EVENT_TYPES);
export const decodeIdentityClaim = (recorded: RecordedEvent): IdentityValueClaimed =>
  decode<IdentityValueClaimed>(recorded, IDENTITY_CLAIM_EVENT_TYPES);
export const decodeRuleEvent = (recorded: RecordedEvent): RuleEvent =>
  decode<RuleEvent>(recorded, RULE_EVENT_TYPES);
