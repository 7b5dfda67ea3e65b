import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { followMergeChain, ProfileStreams, UnificationClaims } from '@cds/application';
import { InboundMessage, KafkaIngest, MessageOutcome } from '@cds/adapters-real';
import { DomainError, notFound, profileIdForTracker } from '@cds/domain';
import { CdsConfig, KafkaConfig } from '@cds/runtime';
import { CDS_CONFIG } from '../infrastructure/tokens';
import { PatchProfileCommand } from '../profiles/patch-profile/patch-profile.command';
import { SyncProfileCommand } from '../profiles/sync-profile/sync-profile.command';
import { ActivityMessage, parseActivityMessage, parseIdentityMessage } from './ingest-messages';

/**
 * SPEC §7: activity and sign-ins from Kafka go through the same commands as HTTP. The event_id
 * is the idempotency key, so a redelivered message has no second effect.
 */
@Injectable()
export class ActivityIngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KafkaIngest');
  private ingest?: KafkaIngest;

  constructor(
    @Inject(CDS_CONFIG) private readonly config: CdsConfig,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(UnificationClaims) private readonly claims: UnificationClaims,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const kafka = this.config.kafka;
    if (!kafka) return;
    this.ingest = await KafkaIngest.start(
      {
        brokers: kafka.brokers,
        clientId: kafka.clientId,
        groupId: kafka.groupId,
        topics: [kafka.activityTopic, kafka.identityTopic],
        deadLetterTopic: kafka.deadLetterTopic,
        log: (level, message) => (level === 'error' ? this.logger.error(message) : this.logger.warn(message)),
      },
      (message) => this.handle(kafka, message),
    );
    this.logger.log(`consuming ${kafka.activityTopic} and ${kafka.identityTopic} as ${kafka.groupId}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ingest?.stop();
  }

  async handle(kafka: KafkaConfig, message: InboundMessage): Promise<MessageOutcome> {
    try {
      if (message.topic === kafka.identityTopic) {
        const signIn = parseIdentityMessage(message.value);
        await this.commandBus.execute(
          new SyncProfileCommand(signIn.org, signIn.userId, signIn.tracker, { correlationId: `kafka:${signIn.eventId}` }),
        );
      } else {
        const activity = parseActivityMessage(message.value);
        const profileId = await this.targetProfile(activity);
        const key = `kafka:${activity.eventId}`;
        await this.commandBus.execute(
          new PatchProfileCommand(activity.org, profileId, activity.attributes, 'kafka', { correlationId: key, idempotencyKey: key }),
        );
      }
      return { kind: 'applied' };
    } catch (error) {
      // What the sender got wrong never passes: dead-letter it. Anything else is retried.
      if (error instanceof DomainError) {
        return { kind: 'rejected', reason: { code: error.code, message: error.message, details: error.details } };
      }
      throw error;
    }
  }

  private async targetProfile({ org, target }: ActivityMessage): Promise<string> {
    switch (target.kind) {
      case 'profile_id':
        return target.value;
      case 'anonymous_profile_tracker':
        return profileIdForTracker(org, target.value);
      case 'user_id': {
        const claimed = await this.claims.owner(org, target.value);
        const live = claimed ? (await followMergeChain(this.profiles, org, claimed)).live : null;
        if (!live) throw notFound('unknown_user', `No profile carries user_id ${target.value}`);
        return live.state.profileId;
      }
    }
  }
}
