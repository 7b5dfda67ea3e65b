import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  ActiveReadModel,
  AsOfSnapshots,
  CheckpointStore,
  CLOCK,
  Clock,
  EVENT_STORE,
  EventStore,
  generateMasterKey,
  InMemoryCheckpoints,
  InMemoryKeyStore,
  InMemoryLeaseStore,
  LEASE_STORE,
  LeaseStore,
  masterKeys,
  SubjectKeys,
  PROFILE_READ_MODEL,
  ProfileProjector,
  ProfileReadModel,
  ProfileStreams,
  RulesService,
  SchemaService,
  systemClock,
  UNIFICATION_PROGRESS,
  UnificationClaims,
  UnifierPartitions,
} from '@cds/application';
import { InMemoryReadModelGenerations } from '@cds/adapters-embedded';
import { CdsConfig, createLiveProjector, createUnificationHost, LIVE_CHECKPOINT, UnificationHost } from '@cds/runtime';
import { TokenService } from '../auth/token-service';
import { Adapters } from '@cds/runtime';
import { InProcessCatchUp, PollingCatchUp } from './read-model-catch-up';
import { CDS_CONFIG, CHECKPOINTS, READ_MODEL_CATCH_UP, UNIFICATION_HOST } from './tokens';

/** Starts the in-process projector with the app and stops it, and the adapters, at shutdown. */
@Injectable()
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');
  constructor(
    @Inject(CDS_CONFIG) private readonly config: CdsConfig,
    @Inject(ProfileProjector) private readonly projector: ProfileProjector,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PROFILE_READ_MODEL) private readonly readModel: ProfileReadModel,
    @Inject(UNIFICATION_HOST) private readonly unification: UnificationHost,
    @Inject(ActiveReadModel) private readonly readers: ActiveReadModel,
    @Inject(CHECKPOINTS) private readonly checkpoints: CheckpointStore & { close?(): Promise<void> },
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Readers (and the in-process projector) follow the active read-model generation.
    this.readers.follow(1000, (error) => this.logger.warn(`reading the active read-model generation: ${String(error)}`));
    if (this.config.projector === 'in-process') {
      await this.projector.start();
      this.logger.log(`projector ${LIVE_CHECKPOINT} running in this process`);
    }
    if (this.unification.keeper) {
      await this.unification.keeper.start();
      this.logger.log(`unifier taking part (${this.config.unifierPartitions} partition(s), by lease)`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.readers.stopFollowing();
    // Hands its partitions over: another process takes them at once, not after the leases expire.
    await this.unification.keeper?.stop();
    if (this.config.projector === 'in-process') await this.projector.stop();
    await this.eventStore.close();
    await this.readModel.close();
    await this.checkpoints?.close?.();
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
      // Adapters opened by hand (tests) may bring none: checkpoints then live as long as the process.
      { provide: CHECKPOINTS, useValue: adapters.checkpoints ?? new InMemoryCheckpoints() },
      { provide: EVENT_STORE, useValue: adapters.eventStore },
      {
        provide: PROFILE_READ_MODEL,
        useFactory: (readers: ActiveReadModel) => (opened ? adapters.readModel : readers),
        inject: [ActiveReadModel],
      },
      { provide: CLOCK, useValue: clock },
      // The live projector and a rebuild in this process take their leases from the same store.
      { provide: LEASE_STORE, useValue: adapters.leases ?? new InMemoryLeaseStore() },
      { provide: TokenService, useFactory: () => new TokenService(config.auth, config.dataDir) },
      { provide: ProfileStreams, useFactory: (s: EventStore) => new ProfileStreams(s), inject: [EVENT_STORE] },
      // Reading one long profile as of many points folds each stretch of it once.
      { provide: AsOfSnapshots, useFactory: () => new AsOfSnapshots() },
      { provide: SchemaService, useFactory: (s: EventStore) => new SchemaService(s), inject: [EVENT_STORE] },
      { provide: RulesService, useFactory: (s: EventStore, sch: SchemaService) => new RulesService(s, sch), inject: [EVENT_STORE, SchemaService] },
      { provide: SubjectKeys, useValue: adapters.personalData?.keys ?? new SubjectKeys(new InMemoryKeyStore(), masterKeys(generateMasterKey())) },
      { provide: UnificationClaims, useFactory: (s: EventStore, k: SubjectKeys, c: Clock) => new UnificationClaims(s, k, c), inject: [EVENT_STORE, SubjectKeys, CLOCK] },
      {
        provide: UNIFICATION_HOST,
        useFactory: (s: EventStore, checkpoints: CheckpointStore, keys: SubjectKeys, c: Clock, leases: LeaseStore) => {
          const logger = new Logger('Unifier');
          return createUnificationHost(config, {
            eventStore: s,
            checkpoints,
            context: { keys, clock: c },
            leases,
            onError: (error: unknown) => logger.error((error as Error)?.stack ?? String(error)),
          });
        },
        inject: [EVENT_STORE, CHECKPOINTS, SubjectKeys, CLOCK, LEASE_STORE],
      },
      { provide: UnifierPartitions, useFactory: (host: UnificationHost) => host.partitions, inject: [UNIFICATION_HOST] },
      { provide: UNIFICATION_PROGRESS, useExisting: UnifierPartitions },
      {
        provide: ProfileProjector,
        useFactory: (s: EventStore, rm: ProfileReadModel, readers: ActiveReadModel, leases: LeaseStore) => {
          const logger = new Logger('Projector');
          return createLiveProjector(config.projection, { eventStore: s, readers, readModel: rm, leases }, (error, event) =>
            logger.error(`${event ? `${event.streamId}@${event.revision}: ` : ''}${(error as Error)?.stack ?? String(error)}`),
          );
        },
        inject: [EVENT_STORE, PROFILE_READ_MODEL, ActiveReadModel, LEASE_STORE],
      },
      {
        provide: READ_MODEL_CATCH_UP,
        useFactory: (p: ProfileProjector, rm: ProfileReadModel, s: EventStore) =>
          config.projector === 'in-process' ? new InProcessCatchUp(p, s) : new PollingCatchUp(rm, LIVE_CHECKPOINT, s, config.projection.partitions),
        inject: [ProfileProjector, PROFILE_READ_MODEL, EVENT_STORE],
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
