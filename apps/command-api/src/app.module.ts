import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock, systemClock } from '@cds/application';
import { validationError } from '@cds/domain';
import { AuthGuard } from './auth/auth.guard';
import { IssueTokenController } from './auth/issue-token/issue-token.controller';
import { CdsConfig } from '@cds/runtime';
import { HealthController } from './health/health.controller';
import { HttpErrorFilter } from './http/http-error.filter';
import { Adapters } from '@cds/runtime';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { ActivityIngestModule } from './activity-ingest/activity-ingest.module';
import { AdminModule } from './admin/admin.module';
import { ProfileSchemaModule } from './profile-schema/profile-schema.module';
import { ProfilesModule } from './profiles/profiles.module';
import { UnificationRulesModule } from './unification-rules/unification-rules.module';
import { ConsoleModule } from './console/console.module';

/** DTOs list every field a body may have: anything else is a 400, not silently dropped. */
const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) =>
    validationError(
      'invalid_body',
      'The request body is not valid',
      errors.map((e) => ({ field: e.property, reason: Object.values(e.constraints ?? {}).join('; ') || 'invalid' })),
    ),
});

@Module({})
export class AppModule {
  static forRoot(config: CdsConfig, adapters: Adapters, clock: Clock = systemClock): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), InfrastructureModule.forRoot(config, adapters, clock), ProfilesModule, ProfileSchemaModule, UnificationRulesModule, ActivityIngestModule, ConsoleModule, AdminModule],
      controllers: [IssueTokenController, HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useValue: validationPipe },
      ],
    };
  }
}
