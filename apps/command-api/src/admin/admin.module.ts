import { Module } from '@nestjs/common';
import { CdsConfig } from '@cds/runtime';
import { CDS_CONFIG } from '../infrastructure/tokens';
import { ADMIN_TOKEN, resolveAdminToken } from './admin-token';
import { AdminGuard } from './admin.guard';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DigestController } from './digest/digest.controller';
import { RebuildController } from './rebuild/rebuild.controller';
import { RebuildJobs } from './rebuild/rebuild-jobs';
import { ReplayController } from './replay/replay.controller';
import { StatusController } from './status/status.controller';

/** Operators' endpoints under `/admin/…`, behind the admin token: rebuild, status, digest, replay, dead letters. */
@Module({
  controllers: [RebuildController, StatusController, DigestController, ReplayController, DeadLettersController],
  providers: [
    { provide: ADMIN_TOKEN, useFactory: (config: CdsConfig) => resolveAdminToken(config), inject: [CDS_CONFIG] },
    AdminGuard,
    RebuildJobs,
  ],
})
export class AdminModule {}
