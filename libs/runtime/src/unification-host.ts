import {
  CheckpointStore,
  EventStore,
  InMemoryLeaseStore,
  LeaseKeeper,
  LeaseStore,
  UnifierContext,
  UnifierPartitions,
} from '@cds/application';
import { CdsConfig } from './cds-config';
import { leaseHolderId } from './live-projection';

export interface UnificationHost {
  /** The unifiers running here, and how far every partition got (what sign-ins wait on). */
  partitions: UnifierPartitions;
  /** Takes this process's share of the partitions and gives them back; null when it takes none (external). */
  keeper: LeaseKeeper | null;
}

export interface UnificationParts {
  eventStore: EventStore;
  checkpoints: CheckpointStore;
  context: UnifierContext;
  /** Absent: leases in this process (it holds every partition). */
  leases?: LeaseStore;
  onError: (error: unknown) => void;
}

/** Each partition's single unifier, wherever it runs: held by lease, taken over when its holder dies. */
export const UNIFIER_LEASE_GROUP = 'unifier/tenants';

/**
 * The unifier as every app runs it: leases spread the tenants' partitions over the processes
 * that take part (one holder each, fenced by the lease's token, a standby takes over after the
 * lease's time to live). Checkpoints on MongoDB are written often: sign-ins answered by another
 * process wait on them. Not started: start the keeper.
 */
export function createUnificationHost(config: CdsConfig, parts: UnificationParts): UnificationHost {
  const shared = config.readModel.kind === 'mongo';
  const partitions = new UnifierPartitions(parts.eventStore, parts.checkpoints, parts.context, {
    count: config.unifierPartitions,
    ...(config.unifierTenants ? { only: { name: `tenants-${config.unifierTenants.join('-')}`, tenants: config.unifierTenants } } : {}),
    checkpointEveryMs: shared ? 50 : 1000,
    onError: parts.onError,
  });
  const keeper =
    config.unifier === 'in-process'
      ? new LeaseKeeper(
          {
            store: parts.leases ?? new InMemoryLeaseStore(),
            group: UNIFIER_LEASE_GROUP,
            partitions: config.unifierPartitions,
            holder: leaseHolderId(),
            ttlMs: config.projection.leaseTtlMs,
            intervalMs: config.projection.leaseIntervalMs,
            onError: parts.onError,
          },
          partitions,
        )
      : null;
  return { partitions, keeper };
}
