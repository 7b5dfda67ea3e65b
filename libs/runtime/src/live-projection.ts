import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  ActiveReadModel,
  EventStore,
  followGenerations,
  InMemoryLeaseStore,
  LeaseStore,
  ProfileProjector,
  ProfileReadModel,
  RecordedEvent,
} from '@cds/application';
import { LIVE_CHECKPOINT, ProjectionConfig } from './cds-config';

export interface LiveProjectionParts {
  eventStore: EventStore;
  /** The active generation readers use (the projector follows its switches). */
  readers: ActiveReadModel;
  /** What the projector writes through: `readers`, or `readers` wrapped for metrics. */
  readModel: ProfileReadModel;
  /** Absent: leases in this process (one process holds every partition). */
  leases?: LeaseStore;
}

/** This process among the projector instances: host, process id and a random part (a restarted process is a new holder). */
export function leaseHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * The live projector, the same wherever it runs: the projector app, or the command API on the
 * embedded default. It writes to the active generation's partitions that it holds leases for,
 * and follows a rebuild's switch to a new generation. Not started: call `start()`.
 */
export function createLiveProjector(
  config: ProjectionConfig,
  parts: LiveProjectionParts,
  onError: (error: unknown, event?: RecordedEvent) => void,
): ProfileProjector {
  const projector = new ProfileProjector(parts.eventStore, parts.readModel, {
    name: LIVE_CHECKPOINT,
    partitions: config.partitions,
    batchSize: config.batchSize,
    idleFlushMs: 5,
    deadLetters: parts.readers.deadLetters,
    onPoison: config.onPoison,
    leases: {
      store: parts.leases ?? new InMemoryLeaseStore(),
      holder: leaseHolderId(),
      ttlMs: config.leaseTtlMs,
      intervalMs: config.leaseIntervalMs,
    },
    onError,
  });
  followGenerations(parts.readers, projector);
  return projector;
}
