import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_PRIORITY, RULE_NAME_MAX_LENGTH } from '@cds/domain';

/** SPEC §5: a new identity resolution rule. Without a priority it goes to the end of the list. */
export class AddRuleDto {
  @IsString() @Length(1, RULE_NAME_MAX_LENGTH) rule_name!: string;
  /** `identity_attributes.<name>` or `traits.<name>`: a defined single-valued string attribute. */
  @IsString() @Length(1, 200) property_name!: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PRIORITY) priority?: number;
  @IsOptional() @IsBoolean() is_active?: boolean;
  @IsOptional() @IsBoolean() immutable?: boolean;
}
