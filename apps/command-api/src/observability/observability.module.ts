import { DynamicModule, Module } from '@nestjs/common';
import { IngestMetrics } from './ingest-metrics';
import { MetricsController } from './metrics.controller';
import { CDS_METRICS, CdsMetrics } from './metrics';

/** `/metrics` and the hooks that feed it; the app's own metrics instance comes in from createApp. */
@Module({})
export class ObservabilityModule {
  static forRoot(metrics: CdsMetrics): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers: [{ provide: CDS_METRICS, useValue: metrics }, IngestMetrics],
      exports: [CDS_METRICS],
    };
  }
}
