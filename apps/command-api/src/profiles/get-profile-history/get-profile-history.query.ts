import { Query } from '@nestjs/cqrs';
import { HistoryItem, LogPosition } from '@cds/application';

export interface ProfileHistoryResponse {
  /** The live profile (a merged-away id leads to its survivor). */
  profile_id: string;
  /** Its id and those of every profile merged into it. */
  profile_ids: string[];
  events: HistoryItem[];
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}

export class GetProfileHistoryQuery extends Query<ProfileHistoryResponse> {
  constructor(
    readonly tenant: string,
    readonly profileId: string,
    readonly pageSize: number,
    /** Exclusive: the page starts after this log position. */
    readonly after: LogPosition | undefined,
  ) {
    super();
  }
}
