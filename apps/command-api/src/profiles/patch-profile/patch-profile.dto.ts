import { IsObject, IsOptional } from 'class-validator';

/** SPEC §6 PATCH: attribute values by scope; each meets the stored value through its merge strategy. */
export class PatchProfileDto {
  @IsOptional() @IsObject() identity_attributes?: Record<string, unknown>;
  @IsOptional() @IsObject() traits?: Record<string, unknown>;
  @IsOptional() @IsObject() application_data?: Record<string, unknown>;
}
