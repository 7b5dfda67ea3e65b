import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { AcceptsNull } from '../../observability/openapi/dto-schema';
import { BLOCKED_VALUE_MAX_LENGTH, MAX_BLOCKED_VALUES, MAX_PRIORITY, RULE_NAME_MAX_LENGTH } from '@cds/domain';

/** A partial change. property_name is fixed: it may be sent, but only with the value it has. */
export class ChangeRuleDto {
  @IsOptional() @IsString() @Length(1, RULE_NAME_MAX_LENGTH) rule_name?: string;
  @IsOptional() @IsString() property_name?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PRIORITY) priority?: number;
  @IsOptional() @IsBoolean() is_active?: boolean;
  @IsOptional() @IsBoolean() immutable?: boolean;
  /** Values that never match through this rule (exact, case-sensitive); null clears the list. */
  @AcceptsNull() @IsOptional() @IsArray() @ArrayMaxSize(MAX_BLOCKED_VALUES) @IsString({ each: true }) @MaxLength(BLOCKED_VALUE_MAX_LENGTH, { each: true }) blocked_values?: string[] | null;
  /** At most this many profiles joined into one unified profile through this rule (≥ 2); null: no limit. */
  @AcceptsNull() @IsOptional() @IsInt() @Min(2) max_profiles?: number | null;
}
