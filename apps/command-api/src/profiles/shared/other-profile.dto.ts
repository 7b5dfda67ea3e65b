import { IsUUID } from 'class-validator';

/** The other profile of a manual merge or an unmerge. */
export class OtherProfileDto {
  /** A profile id (UUID). */
  @IsUUID() profile_id!: string;
}
