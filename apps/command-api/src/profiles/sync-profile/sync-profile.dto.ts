import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ErrorDetail, validationError } from '@cds/domain';

/** SPEC §6 sign-in: snake_case body, or the camelCase one (`userId`, `profileCookie`). */
export class SyncProfileDto {
  @IsOptional() @IsIn(['AUTHENTICATION_SUCCESS']) event?: string;
  @IsOptional() @IsString() @Length(1, 256) user_id?: string;
  @IsOptional() @IsString() @Length(1, 256) anonymous_profile_tracker?: string;
  @IsOptional() @IsString() @Length(1, 256) userId?: string;
  @IsOptional() @IsString() @Length(1, 256) profileCookie?: string;
}

export interface SignInFields {
  userId: string;
  tracker: string;
}

export function signInFields(dto: SyncProfileDto): SignInFields {
  const userId = dto.user_id ?? dto.userId;
  const tracker = dto.anonymous_profile_tracker ?? dto.profileCookie;
  const details: ErrorDetail[] = [];
  if (!userId) details.push({ field: 'user_id', reason: 'required (or userId)' });
  if (!tracker) details.push({ field: 'anonymous_profile_tracker', reason: 'required (or profileCookie)' });
  if (details.length > 0 || !userId || !tracker) throw validationError('invalid_sign_in', 'A sign-in needs a user id and a tracker', details);
  return { userId, tracker };
}
