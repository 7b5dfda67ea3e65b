import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  ActiveReadModel,
  CLOCK,
  Clock,
  EVENT_STORE,
  EventStore,
  followGenerations,
  PROFILE_READ_MODEL,
  ProfileCommands,
  ProfileMerger,
  ProfileProjector,
  ProfileReadModel,
  ProfileRepository,
  ProfileResolver,
  RulesService,
  IdentityIndex,
  RuleUnification,
  SchemaService,
  SignIn,
  systemClock,
  UserIdClaims,
} from '@cds/application';
import { InMemoryReadModelGenerations } from '@cds/adapters-embedded';
import { CdsConfig, LIVE_CHECKPOINT } from '@cds/runtime';
import { TokenService } from '../auth/token-service';
import { Adapters } from '@cds/runtime';
import { InProcessCatchUp, PollingCatchUp } from './read-model-catch-up';
import { CDS_CONFIG, READ_MODEL_CATCH_UP } from './tokens';

/** Starts the in-process projector with the app and stops it, and the adapters, at shutdown. */
@Injectable()
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');
  constructor(
    @Inject(CDS_CONFIG) private readonly config: CdsConfig,
    @Inject(ProfileProjector) private readonly projector: ProfileProjector,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PROFILE_READ_MODEL) private readonly readModel: ProfileReadModel,
    @Inject(ProfileMerger) private readonly merger: ProfileMerger,
    @Inject(ActiveReadModel) private readonly readers: ActiveReadModel,
  ) {}

  private recovery?: Promise<void>;

  async onApplicationBootstrap(): Promise<void> {
    // Readers (and the in-process projector) follow the active read-model generation.
    this.readers.follow(1000, (error) => this.logger.warn(`reading the active read-model generation: ${String(error)}`));
    if (this.config.projector === 'in-process') {
      followGenerations(this.readers, this.projector);
      await this.projector.start();
      this.logger.log(`projector ${LIVE_CHECKPOINT} running in this process`);
    }
    // A merge interrupted by a crash is completed now, in the background, not left half-done.
    this.recovery = this.merger
      .completePending()
      .then((count) => count > 0 && this.logger.log(`checked the last merge decision of ${count} tenant(s)`))
      .catch((error) => this.logger.error(`completing interrupted merges failed: ${(error as Error).message}`))
      .then(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.readers.stopFollowing();
    await this.recovery;
    if (this.config.projector === 'in-process') await this.projector.stop();
    await this.eventStore.close();
    await this.readModel.close();
  }
}

@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: CdsConfig, adapters: Adapters, clock: Clock = systemClock): DynamicModule {
    // Adapters from openAdapters read through an ActiveReadModel (possibly wrapped for metrics);
    // others get one around their read model.
    const opened = adapters.readModel instanceof ActiveReadModel ? adapters.readModel : null;
    const providers = [
      {
        provide: ActiveReadModel,
        useFactory: async () =>
          opened ?? ActiveReadModel.open(adapters.generations ?? InMemoryReadModelGenerations.around(adapters.readModel)),
      },
      { provide: CDS_CONFIG, useValue: config },
      { provide: EVENT_STORE, useValue: adapters.eventStore },
      {
        provide: PROFILE_READ_MODEL,
        useFactory: (readers: ActiveReadModel) => (opened ? adapters.readModel : readers),
        inject: [ActiveReadModel],
      },
      { provide: CLOCK, useValue: clock },
      { provide: TokenService, useFactory: () => new TokenService(config.auth, config.dataDir) },
      { provide: ProfileRepository, useFactory: (s: EventStore) => new ProfileRepository(s), inject: [EVENT_STORE] },
      { provide: ProfileCommands, useFactory: (r: ProfileRepository) => new ProfileCommands(r), inject: [ProfileRepository] },
      { provide: ProfileResolver, useFactory: (r: ProfileRepository) => new ProfileResolver(r), inject: [ProfileRepository] },
      { provide: SchemaService, useFactory: (s: EventStore) => new SchemaService(s), inject: [EVENT_STORE] },
      { provide: RulesService, useFactory: (s: EventStore, sch: SchemaService) => new RulesService(s, sch), inject: [EVENT_STORE, SchemaService] },
      { provide: IdentityIndex, useFactory: (s: EventStore, c: Clock) => new IdentityIndex(s, c), inject: [EVENT_STORE, CLOCK] },
      {
        provide: RuleUnification,
        useFactory: (r: RulesService, i: IdentityIndex, res: ProfileResolver, m: ProfileMerger) => new RuleUnification(r, i, res, m),
        inject: [RulesService, IdentityIndex, ProfileResolver, ProfileMerger],
      },
      { provide: UserIdClaims, useFactory: (s: EventStore, c: Clock) => new UserIdClaims(s, c), inject: [EVENT_STORE, CLOCK] },
      {
        provide: ProfileMerger,
        useFactory: (s: EventStore, r: ProfileRepository, cmd: ProfileCommands, res: ProfileResolver, sch: SchemaService, c: Clock) =>
          new ProfileMerger(s, r, cmd, res, sch, c),
        inject: [EVENT_STORE, ProfileRepository, ProfileCommands, ProfileResolver, SchemaService, CLOCK],
      },
      {
        provide: SignIn,
        useFactory: (cmd: ProfileCommands, res: ProfileResolver, m: ProfileMerger, claims: UserIdClaims, c: Clock) =>
          new SignIn(cmd, res, m, claims, c),
        inject: [ProfileCommands, ProfileResolver, ProfileMerger, UserIdClaims, CLOCK],
      },
      {
        provide: ProfileProjector,
        useFactory: (s: EventStore, rm: ProfileReadModel, readers: ActiveReadModel) => {
          const logger = new Logger('Projector');
          return new ProfileProjector(s, rm, {
            name: LIVE_CHECKPOINT,
            batchSize: 500,
            idleFlushMs: 2,
            deadLetters: readers.deadLetters,
            onPoison: config.projectorOnPoison,
            onError: (error, event) =>
              logger.error(`${event ? `${event.streamId}@${event.revision}: ` : ''}${(error as Error)?.stack ?? String(error)}`),
          });
        },
        inject: [EVENT_STORE, PROFILE_READ_MODEL, ActiveReadModel],
      },
      {
        provide: READ_MODEL_CATCH_UP,
        useFactory: (p: ProfileProjector, rm: ProfileReadModel) =>
          config.projector === 'in-process' ? new InProcessCatchUp(p) : new PollingCatchUp(rm, LIVE_CHECKPOINT),
        inject: [ProfileProjector, PROFILE_READ_MODEL],
      },
      Lifecycle,
    ];
    return {
      module: InfrastructureModule,
      providers,
      exports: providers.filter((p) => p !== Lifecycle),
    };
  }
}
