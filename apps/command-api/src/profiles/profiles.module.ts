import { Module } from '@nestjs/common';
import { CreateProfileController } from './create-profile/create-profile.controller';
import { CreateProfileHandler } from './create-profile/create-profile.handler';
import { DeleteProfileController } from './delete-profile/delete-profile.controller';
import { DeleteProfileHandler } from './delete-profile/delete-profile.handler';
import { GetProfileController } from './get-profile/get-profile.controller';
import { GetProfileHandler } from './get-profile/get-profile.handler';
import { GetProfileHistoryController } from './get-profile-history/get-profile-history.controller';
import { GetProfileHistoryHandler } from './get-profile-history/get-profile-history.handler';
import { ListProfilesController } from './list-profiles/list-profiles.controller';
import { ListProfilesHandler } from './list-profiles/list-profiles.handler';
import { PatchProfileController } from './patch-profile/patch-profile.controller';
import { PatchProfileHandler } from './patch-profile/patch-profile.handler';
import { SyncProfileController } from './sync-profile/sync-profile.controller';
import { SyncProfileHandler } from './sync-profile/sync-profile.handler';
import { UnifiedAnswer } from './shared/unified-answer';
import { MergeProfilesController } from './merge-profiles/merge-profiles.controller';
import { MergeProfilesHandler } from './merge-profiles/merge-profiles.handler';
import { UnmergeProfileController } from './unmerge-profile/unmerge-profile.controller';
import { UnmergeProfileHandler } from './unmerge-profile/unmerge-profile.handler';
import { ExportProfileController } from './export-profile/export-profile.controller';
import { ExportProfileHandler } from './export-profile/export-profile.handler';

@Module({
  // Sync is registered before the :id routes so that /profiles/sync is never read as an id.
  controllers: [
    SyncProfileController,
    CreateProfileController,
    ListProfilesController,
    GetProfileController,
    GetProfileHistoryController,
    PatchProfileController,
    DeleteProfileController,
    MergeProfilesController,
    UnmergeProfileController,
    ExportProfileController,
  ],
  providers: [
    CreateProfileHandler,
    GetProfileHandler,
    GetProfileHistoryHandler,
    ListProfilesHandler,
    PatchProfileHandler,
    DeleteProfileHandler,
    SyncProfileHandler,
    MergeProfilesHandler,
    UnmergeProfileHandler,
    ExportProfileHandler,
    UnifiedAnswer,
  ],
})
export class ProfilesModule {}
