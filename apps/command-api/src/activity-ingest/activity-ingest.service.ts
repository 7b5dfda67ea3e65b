import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  CLOCK,
  Clock,
  followMergeChain,
  idempotentRequest,
  ProfileStreams,
  resolveTracker,
  SchemaService,
  stampUser,
  UNIFICATION_PROGRESS,
  UnificationClaims,
  UnificationProgress,
  writeProfileBatch,
} from '@cds/application';
import type { InboundMessage, KafkaIngest, MessageOutcome } from '@cds/adapters-real';
import { DomainError, IdempotentRequest, JsonValue, notFound, parseAttributeWrites, ProfileCommand, trackerForUser } from '@cds/domain';
import { CdsConfig, KafkaConfig } from '@cds/runtime';
import { UNIFICATION_WAIT_MS } from '../http/log-position';
import { CDS_CONFIG } from '../infrastructure/tokens';
import { ActivityMessage, parseActivityMessage, parseIdentityMessage } from './ingest-messages';

/**
 * Activity and sign-ins from Kafka take the same use cases as HTTP. The event_id is the
 * idempotency key, so a redelivered message has no second effect; a batch's messages for one
 * profile land in one append.
 */
@Injectable()
export class ActivityIngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KafkaIngest');
  private ingest?: KafkaIngest;

  constructor(
    @Inject(CDS_CONFIG) private readonly config: CdsConfig,
    @Inject(ProfileStreams) private readonly profiles: ProfileStreams,
    @Inject(SchemaService) private readonly schema: SchemaService,
    @Inject(UnificationClaims) private readonly claims: UnificationClaims,
    @Inject(UNIFICATION_PROGRESS) private readonly unification: UnificationProgress,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const kafka = this.config.kafka;
    if (!kafka) return;
    // Loaded only when Kafka is configured: the real-server clients cost the embedded default memory.
    const { KafkaIngest } = await import('@cds/adapters-real');
    this.ingest = await KafkaIngest.start(
      {
        brokers: kafka.brokers,
        clientId: kafka.clientId,
        groupId: kafka.groupId,
        topics: [kafka.activityTopic, kafka.identityTopic],
        deadLetterTopic: kafka.deadLetterTopic,
        deadLetterRetentionMs: kafka.deadLetterRetentionMs,
        log: (level, message) => (level === 'error' ? this.logger.error(message) : this.logger.warn(message)),
      },
      (messages) => this.handle(kafka, messages),
    );
    this.logger.log(`consuming ${kafka.activityTopic} and ${kafka.identityTopic} as ${kafka.groupId}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ingest?.stop();
  }

  /** The messages of one key of a batch, in order; one outcome each. Infrastructure trouble throws (the batch comes again). */
  async handle(kafka: KafkaConfig, messages: InboundMessage[]): Promise<MessageOutcome[]> {
    if (messages[0]?.topic === kafka.identityTopic) {
      const outcomes: MessageOutcome[] = [];
      for (const message of messages) outcomes.push(await rejectedIfRefused(() => this.signIn(message)));
      return outcomes;
    }
    const outcomes: MessageOutcome[] = new Array(messages.length);
    const byTarget = new Map<string, Array<{ index: number; activity: ActivityMessage }>>();
    messages.forEach((message, index) => {
      try {
        const activity = parseActivityMessage(message.value);
        const target = `${activity.org}\n${activity.target.kind}\n${activity.target.value}`;
        byTarget.set(target, [...(byTarget.get(target) ?? []), { index, activity }]);
      } catch (error) {
        outcomes[index] = rejection(error);
      }
    });
    for (const group of byTarget.values()) {
      const applied = await this.applyActivities(group.map((g) => g.activity)).catch((error: unknown) => group.map(() => rejection(error)));
      group.forEach((g, i) => (outcomes[g.index] = applied[i]));
    }
    return outcomes;
  }

  /**
   * Activities for one profile, in order, in one append; each one the schema or the domain refuses
   * is rejected alone. A tracker or user_id that leads to no live profile (never seen, or erased)
   * starts a new one: activity never brings an erased profile back.
   */
  private async applyActivities(activities: ActivityMessage[]): Promise<MessageOutcome[]> {
    const { org, target } = activities[0];
    const { profileId, start } = await this.targetProfile(activities[0]);
    const schema = await this.schema.current(org);
    const at = this.clock.now().toISOString();
    const outcomes: MessageOutcome[] = [];
    const writes: Array<{ command: ProfileCommand; idempotency?: IdempotentRequest }> = start.map((command) => ({ command }));
    for (const activity of activities) {
      try {
        const key = `kafka:${activity.eventId}`;
        const idempotency = idempotentRequest(key, { write: 'kafka', target: `${target.kind}:${target.value}`, attributes: activity.attributes as JsonValue });
        const command = { type: 'PatchAttributes' as const, writes: parseAttributeWrites(schema, activity.attributes), source: 'kafka' as const, addressed_id: profileId, idempotency, at };
        writes.push({ command, idempotency });
        outcomes.push({ kind: 'applied' });
      } catch (error) {
        outcomes.push(rejection(error));
      }
    }
    if (writes.length === start.length) return outcomes;
    const written = await writeProfileBatch(this.profiles, { tenant: org, addressedId: profileId, writes, correlationId: `kafka:${activities[0].eventId}` });
    let next = start.length;
    const refused = written.outcomes.slice(0, start.length).find((o) => o.kind === 'refused');
    if (refused?.kind === 'refused') return outcomes.map((o) => (o.kind === 'rejected' ? o : rejection(refused.error)));
    return outcomes.map((outcome) => {
      if (outcome.kind === 'rejected') return outcome;
      const result = written.outcomes[next++];
      return result.kind === 'refused' ? rejection(result.error) : { kind: 'applied' };
    });
  }

  /** The live profile a tracker leads to, or a new one for it (made by `start`'s create, then `then`). */
  private async trackedProfile(org: string, tracker: string, then: ProfileCommand[]): Promise<{ profileId: string; start: ProfileCommand[] }> {
    const tracked = await resolveTracker(this.profiles, org, tracker);
    if (tracked.live) return { profileId: tracked.live.state.profileId, start: [] };
    if (!tracked.vacantId) throw notFound('profile_not_found', 'This tracker has made too many profiles');
    const create: ProfileCommand = { type: 'CreateProfile', profile_id: tracked.vacantId, anonymous_profile_tracker: tracker, tracking_consent: true, at: this.clock.now().toISOString() };
    return { profileId: tracked.vacantId, start: [create, ...then] };
  }

  /** A sign-in from the identity topic; the next messages of the user wait (bounded) until the unifier has acted on it. */
  private async signIn(message: InboundMessage): Promise<MessageOutcome> {
    const signIn = parseIdentityMessage(message.value);
    const stamped = await stampUser(this.profiles, this.clock, {
      tenant: signIn.org,
      userId: signIn.userId,
      anonymousProfileTracker: signIn.tracker,
      correlationId: `kafka:${signIn.eventId}`,
    });
    if (stamped.position !== null) await this.unification.waitFor(signIn.org, stamped.position, UNIFICATION_WAIT_MS);
    return { kind: 'applied' };
  }

  /** The profile the activity lands on, and the commands that start it when there is none yet. */
  private async targetProfile({ org, target }: ActivityMessage): Promise<{ profileId: string; start: ProfileCommand[] }> {
    const at = this.clock.now().toISOString();
    switch (target.kind) {
      case 'profile_id':
        return { profileId: target.value, start: [] };
      case 'anonymous_profile_tracker':
        return this.trackedProfile(org, target.value, []);
      case 'user_id': {
        const claimed = await this.claims.owner(org, target.value);
        const live = claimed ? (await followMergeChain(this.profiles, org, claimed)).live : null;
        if (live) return { profileId: live.state.profileId, start: [] };
        // A user with no live profile yet (or no longer): a new permanent profile, which the unifier claims for them.
        return this.trackedProfile(org, trackerForUser(org, target.value), [{ type: 'StampUser', user_id: target.value, at }]);
      }
    }
  }
}

/** What the sender got wrong never passes: it is dead-lettered. Anything else is thrown, and the batch comes again. */
function rejection(error: unknown): MessageOutcome {
  if (error instanceof DomainError) return { kind: 'rejected', reason: { code: error.code, message: error.message, details: error.details } };
  throw error;
}

async function rejectedIfRefused(apply: () => Promise<MessageOutcome>): Promise<MessageOutcome> {
  try {
    return await apply();
  } catch (error) {
    return rejection(error);
  }
}
