import { ConsoleLogger, LoggerService, LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Clock, EVENT_STORE, EventStore, ProfileProjector } from '@cds/application';
import { AppModule } from './app.module';
import { configureBodyParsing } from './http/body-parsing';
import { answerClientError } from './http/client-errors';
import { toHttpError } from './http/http-error.filter';
import { refuseRepeatedHeaders } from './http/repeated-headers';
import { CdsConfig } from '@cds/runtime';
import { Adapters, openAdapters } from '@cds/runtime';
import { observeHttp, requestId } from './observability/http-observability';
import { JsonLogger, logSettings } from './observability/json-logger';
import { MeteringEventStore } from './observability/metering-event-store';
import { CdsMetrics } from './observability/metrics';
import { ObservabilityModule } from './observability/observability.module';
import { setUpOpenApi } from './observability/openapi/openapi';

export interface CreateAppOptions {
  adapters?: Adapters;
  clock?: Clock;
  /** Levels to write (CDS_LOG_LEVEL otherwise), or false for none; CDS_LOG_FORMAT picks JSON lines or Nest's text. */
  logger?: false | LogLevel[];
}

/** The app with what operators look at: `/metrics`, `/openapi.json` and `/docs`, JSON logs. */
@Module({})
class ObservedAppModule {}

/** Builds the HTTP app (and, on the embedded default, the projector with it). */
export async function createApp(config: CdsConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = appLogger(options.logger);
  const metrics = new CdsMetrics();
  const adapters = meter(options.adapters ?? (await openAdapters(config)), metrics);
  const fastify = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    genReqId: requestId,
    // What Node's HTTP parser refuses (headers over 16 KB) is answered in the API's error shape.
    clientErrorHandler: answerClientError,
    // Errors Fastify raises before routing (a URL that does not decode, an overlong parameter)
    // get the same error shape as everything else.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toHttpError(error);
      void reply.code(status).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    {
      module: ObservedAppModule,
      imports: [AppModule.forRoot(config, adapters, options.clock), ObservabilityModule.forRoot(metrics)],
    },
    fastify,
    { logger, bodyParser: false },
  );
  configureBodyParsing(fastify.getInstance(), config.bodyLimitBytes);
  refuseRepeatedHeaders(fastify.getInstance());
  metrics.projector.bind(app.get(ProfileProjector), app.get<symbol, EventStore>(EVENT_STORE));
  observeHttp(app.getHttpAdapter().getInstance(), metrics, { structured: !(logger instanceof ConsoleLogger) });
  setUpOpenApi(app);
  app.enableShutdownHooks();
  return app;
}

/** Appends are counted on their way to the log; the projector's batches as they reach the read model. */
function meter(adapters: Adapters, metrics: CdsMetrics): Adapters {
  return {
    ...adapters,
    eventStore: new MeteringEventStore(adapters.eventStore, metrics),
    readModel: metrics.projector.meterReadModel(adapters.readModel),
  };
}

function appLogger(levels: CreateAppOptions['logger']): false | LoggerService {
  if (levels === false) return false;
  const settings = logSettings();
  const enabled = levels ?? settings.levels;
  // pretty: Nest's own colourful console logger, for people at a terminal. An instance, not a
  // level list: a list would keep whatever logger an earlier app in this process installed.
  return settings.format === 'json' ? new JsonLogger(enabled) : new ConsoleLogger({ logLevels: enabled });
}
