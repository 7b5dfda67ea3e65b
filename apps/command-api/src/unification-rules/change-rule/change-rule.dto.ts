import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_PRIORITY, RULE_NAME_MAX_LENGTH } from '@cds/domain';

/** A partial change. property_name is fixed: it may be sent, but only with the value it has. */
export class ChangeRuleDto {
  @IsOptional() @IsString() @Length(1, RULE_NAME_MAX_LENGTH) rule_name?: string;
  @IsOptional() @IsString() property_name?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PRIORITY) priority?: number;
  @IsOptional() @IsBoolean() is_active?: boolean;
  @IsOptional() @IsBoolean() immutable?: boolean;
}
