import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '@cds/application';
import { AppModule } from './app.module';
import { toHttpError } from './http/http-error.filter';
import { CdsConfig } from '@cds/runtime';
import { Adapters, openAdapters } from '@cds/runtime';

export interface CreateAppOptions {
  adapters?: Adapters;
  clock?: Clock;
  logger?: false | ('log' | 'error' | 'warn' | 'debug' | 'verbose')[];
}

/** Builds the HTTP app (and, on the embedded default, the projector with it). */
export async function createApp(config: CdsConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapters = options.adapters ?? (await openAdapters(config));
  const fastify = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    // Errors Fastify raises before routing (a URL that does not decode, an overlong parameter)
    // get the same error shape as everything else.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toHttpError(error);
      void reply.code(status).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, adapters, options.clock),
    fastify,
    { logger: options.logger ?? ['log', 'error', 'warn'] },
  );
  app.enableShutdownHooks();
  return app;
}
