import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ActivityIngestService } from '../activity-ingest/activity-ingest.service';
import { CDS_METRICS, CdsMetrics } from './metrics';

/**
 * Counts Kafka messages by outcome without the ingest knowing about metrics: the service's
 * message handler is wrapped before the consumer starts (bootstrap runs after every module init).
 */
@Injectable()
export class IngestMetrics implements OnModuleInit {
  constructor(
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(CDS_METRICS) private readonly metrics: CdsMetrics,
  ) {}

  onModuleInit(): void {
    let service: ActivityIngestService;
    try {
      service = this.moduleRef.get(ActivityIngestService, { strict: false });
    } catch {
      return; // No ingest in this app.
    }
    meterIngest(service, this.metrics);
  }
}

export function meterIngest(service: Pick<ActivityIngestService, 'handle'>, metrics: Pick<CdsMetrics, 'kafkaMessages'>): void {
  const handle = service.handle.bind(service);
  service.handle = async (kafka, messages) => {
    try {
      const outcomes = await handle(kafka, messages);
      outcomes.forEach((outcome, i) =>
        metrics.kafkaMessages.inc({ topic: messages[i].topic, outcome: outcome.kind === 'applied' ? 'applied' : 'dead_lettered' }),
      );
      return outcomes;
    } catch (error) {
      for (const message of messages) metrics.kafkaMessages.inc({ topic: message.topic, outcome: 'error' });
      throw error;
    }
  };
}
