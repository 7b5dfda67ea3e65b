import { EventStore, LogPosition, partitionCheckpoint, partitionOf, ProfileProjector, ProfileReadModel, profileStream } from '@cds/application';

/**
 * How a wait for a log position ended: the read model holds it; it still does not after the
 * timeout; or the log itself has not reached it, so waiting could not help.
 */
export type CatchUpOutcome = 'caught_up' | 'timed_out' | 'beyond_log_head';

/** The profile a read is about: its partition of the projection is the one to wait for. */
export interface ProfileRef {
  tenant: string;
  profileId: string;
}

/**
 * Lets a read wait until the read model holds a given write: the partition that writes the
 * profile's document, or every partition for a read across profiles (a list).
 */
export interface ReadModelCatchUp {
  waitFor(position: LogPosition, timeoutMs: number, profile?: ProfileRef): Promise<CatchUpOutcome>;
}

/** Same process as the projector: woken by it directly. */
export class InProcessCatchUp implements ReadModelCatchUp {
  constructor(
    private readonly projector: ProfileProjector,
    private readonly log: EventStore,
  ) {}

  async waitFor(position: LogPosition, timeoutMs: number, profile?: ProfileRef): Promise<CatchUpOutcome> {
    const stream = profile && profileStream(profile.tenant, profile.profileId);
    if (await this.projector.waitFor(position, 0, stream)) return 'caught_up';
    if (await beyondLogHead(this.log, position)) return 'beyond_log_head';
    return (await this.projector.waitFor(position, timeoutMs, stream)) ? 'caught_up' : 'timed_out';
  }
}

/** The projector runs elsewhere: poll the partitions' checkpoints in the shared read model. */
export class PollingCatchUp implements ReadModelCatchUp {
  constructor(
    private readonly readModel: ProfileReadModel,
    private readonly checkpointName: string,
    private readonly log: EventStore,
    private readonly partitions = 1,
  ) {}

  async waitFor(position: LogPosition, timeoutMs: number, profile?: ProfileRef): Promise<CatchUpOutcome> {
    const partitions =
      profile === undefined ? [...Array(this.partitions).keys()] : [partitionOf(profileStream(profile.tenant, profile.profileId), this.partitions)];
    const pending = new Set(partitions.map((partition) => partitionCheckpoint(this.checkpointName, partition, this.partitions)));
    if (await this.holds(pending, position)) return 'caught_up';
    if (await beyondLogHead(this.log, position)) return 'beyond_log_head';
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (await this.holds(pending, position)) return 'caught_up';
    }
    return 'timed_out';
  }

  /** Whether every pending checkpoint reached `position`; those that did leave the set. */
  private async holds(pending: Set<string>, position: LogPosition): Promise<boolean> {
    for (const name of [...pending]) {
      const checkpoint = await this.readModel.checkpoint(name);
      if (checkpoint !== null && checkpoint >= position) pending.delete(name);
    }
    return pending.size === 0;
  }
}

async function beyondLogHead(log: EventStore, position: LogPosition): Promise<boolean> {
  const head = await log.headPosition();
  return head === null || position > head;
}
