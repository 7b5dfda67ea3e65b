import { IsIn, IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ErrorDetail, validationError } from '@cds/domain';

/** The identity provider's lifecycle events this endpoint takes (WSO2 Identity Server's names). */
export const SYNC_EVENTS = ['AUTHENTICATION_SUCCESS', 'POST_ADD_USER', 'SESSION_TERMINATE', 'POST_DELETE_USER_WITH_ID'] as const;
export type SyncEvent = (typeof SYNC_EVENTS)[number];

/**
 * Sign-in and the identity provider's lifecycle events: our snake_case body
 * (`{event, user_id, anonymous_profile_tracker}`) or WSO2 Identity Server's webhook body
 * (`{event, userId, profileCookie?, profileId?, claims?, orgHandle?}`).
 */
export class SyncProfileDto {
  @IsOptional() @IsIn(SYNC_EVENTS) event?: string;
  @IsOptional() @IsString() @Length(1, 256) user_id?: string;
  @IsOptional() @IsString() @Length(1, 256) anonymous_profile_tracker?: string;
  @IsOptional() @IsString() @Length(1, 256) userId?: string;
  @IsOptional() @IsString() @Length(1, 256) profileCookie?: string;
  /** The profile to stamp, instead of the browser's tracker. */
  @IsOptional() @IsUUID() profileId?: string;
  /** The user's claims at the identity provider: accepted, not stored (profiles are written through PATCH). */
  @IsOptional() @IsObject() claims?: Record<string, unknown>;
  /** The organization the event is about: must be the one in the path. */
  @IsOptional() @IsString() @Length(1, 64) orgHandle?: string;
}

export type SyncRequest =
  | { event: 'AUTHENTICATION_SUCCESS'; userId: string; browser: BrowserRef }
  | { event: 'POST_ADD_USER'; userId: string; browser: BrowserRef | null }
  | { event: 'SESSION_TERMINATE'; tracker: string }
  | { event: 'POST_DELETE_USER_WITH_ID'; userId: string };

/** The profile an event is about: the browser's tracker, or a profile id. */
export type BrowserRef = { tracker: string } | { profileId: string };

/** What the event asks for, with every field it needs (400 naming what is missing). */
export function syncRequest(dto: SyncProfileDto, org: string): SyncRequest {
  const event = (dto.event ?? 'AUTHENTICATION_SUCCESS') as SyncEvent;
  const userId = dto.user_id ?? dto.userId;
  const tracker = dto.anonymous_profile_tracker ?? dto.profileCookie;
  const browser: BrowserRef | null = tracker ? { tracker } : dto.profileId ? { profileId: dto.profileId.toLowerCase() } : null;
  const details: ErrorDetail[] = [];
  if (dto.orgHandle !== undefined && dto.orgHandle !== org) details.push({ field: 'orgHandle', reason: `must be the organization of the path (${org})` });
  const needsUser = event !== 'SESSION_TERMINATE';
  if (needsUser && !userId) details.push({ field: 'user_id', reason: 'required (or userId)' });
  if (event === 'AUTHENTICATION_SUCCESS' && !browser) details.push({ field: 'anonymous_profile_tracker', reason: 'required (or profileCookie, or profileId)' });
  if (event === 'SESSION_TERMINATE' && !tracker) details.push({ field: 'anonymous_profile_tracker', reason: 'required (or profileCookie): the session whose cookie stops leading to its profile' });
  if (details.length > 0) throw validationError('invalid_sign_in', `${event} cannot be applied as sent`, details);
  switch (event) {
    case 'AUTHENTICATION_SUCCESS':
      return { event, userId: userId as string, browser: browser as BrowserRef };
    case 'POST_ADD_USER':
      return { event, userId: userId as string, browser };
    case 'SESSION_TERMINATE':
      return { event, tracker: tracker as string };
    case 'POST_DELETE_USER_WITH_ID':
      return { event, userId: userId as string };
    default: {
      const unhandled: never = event;
      throw validationError('invalid_sign_in', `Unknown event ${String(unhandled)}: one of ${SYNC_EVENTS.join(', ')}`);
    }
  }
}
