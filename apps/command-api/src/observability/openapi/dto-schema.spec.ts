import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { dtoSchema } from './dto-schema';

class ExampleDto {
  @IsString() @Length(1, 10) name!: string;
  @IsOptional() @IsInt() @Min(1) @Max(5) rank?: number;
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsIn(['a', 'b']) kind?: string;
  @IsArray() @ArrayMaxSize(3) items!: unknown[];
  @IsOptional() @IsString({ each: true }) tags?: string[];
}

describe('dtoSchema', () => {
  it('describes a DTO by its validation rules', () => {
    expect(dtoSchema(ExampleDto)).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 10 },
        rank: { type: 'integer', minimum: 1, maximum: 5 },
        active: { type: 'boolean' },
        kind: { enum: ['a', 'b'] },
        items: { type: 'array', maxItems: 3 },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'items'],
      additionalProperties: false,
    });
  });
});
