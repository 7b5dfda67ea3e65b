import { IsBoolean, IsObject, IsOptional } from 'class-validator';

/** `{}` or initial attributes; tracking_consent false marks a legitimate-interest profile. */
export class CreateProfileDto {
  @IsOptional() @IsObject() identity_attributes?: Record<string, unknown>;
  @IsOptional() @IsObject() traits?: Record<string, unknown>;
  @IsOptional() @IsObject() application_data?: Record<string, unknown>;
  @IsOptional() @IsBoolean() tracking_consent?: boolean;
}
