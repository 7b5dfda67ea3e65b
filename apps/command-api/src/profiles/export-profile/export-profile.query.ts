import { Query } from '@nestjs/cqrs';
import { SubjectExport } from '@cds/application';

export class ExportProfileQuery extends Query<SubjectExport> {
  constructor(
    readonly tenant: string,
    readonly profileId: string,
  ) {
    super();
  }
}
