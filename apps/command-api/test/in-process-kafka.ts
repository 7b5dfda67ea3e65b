import { KafkaConfig } from '@cds/runtime';

/** The Kafka settings the ingest service handles messages with, when a spec hands it messages itself (no broker). */
export const IN_PROCESS_KAFKA: KafkaConfig = {
  brokers: ['unused:9092'],
  clientId: 'test',
  groupId: 'test',
  activityTopic: 'cds.activity',
  identityTopic: 'cds.identity',
  deadLetterTopic: 'cds.activity.dlq',
  deadLetterRetentionMs: 7 * 24 * 3600 * 1000,
};
