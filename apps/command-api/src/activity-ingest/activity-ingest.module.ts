import { Module } from '@nestjs/common';
import { ActivityIngestService } from './activity-ingest.service';

@Module({ providers: [ActivityIngestService], exports: [ActivityIngestService] })
export class ActivityIngestModule {}
