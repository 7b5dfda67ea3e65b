import { EventStore, LogPosition, ProfileProjector, ProfileReadModel } from '@cds/application';

/**
 * How a wait for a log position ended: the read model holds it; it still does not after the
 * timeout; or the log itself has not reached it, so waiting could not help.
 */
export type CatchUpOutcome = 'caught_up' | 'timed_out' | 'beyond_log_head';

/** Lets a read wait until the read model holds a given write. */
export interface ReadModelCatchUp {
  waitFor(position: LogPosition, timeoutMs: number): Promise<CatchUpOutcome>;
}

/** Same process as the projector: woken by it directly. */
export class InProcessCatchUp implements ReadModelCatchUp {
  constructor(
    private readonly projector: ProfileProjector,
    private readonly log: EventStore,
  ) {}

  async waitFor(position: LogPosition, timeoutMs: number): Promise<CatchUpOutcome> {
    if (await this.projector.waitFor(position, 0)) return 'caught_up';
    if (await beyondLogHead(this.log, position)) return 'beyond_log_head';
    return (await this.projector.waitFor(position, timeoutMs)) ? 'caught_up' : 'timed_out';
  }
}

/** The projector runs elsewhere: poll its checkpoint in the shared read model. */
export class PollingCatchUp implements ReadModelCatchUp {
  constructor(
    private readonly readModel: ProfileReadModel,
    private readonly checkpointName: string,
    private readonly log: EventStore,
  ) {}

  async waitFor(position: LogPosition, timeoutMs: number): Promise<CatchUpOutcome> {
    if (await this.holds(position)) return 'caught_up';
    if (await beyondLogHead(this.log, position)) return 'beyond_log_head';
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (await this.holds(position)) return 'caught_up';
    }
    return 'timed_out';
  }

  private async holds(position: LogPosition): Promise<boolean> {
    const checkpoint = await this.readModel.checkpoint(this.checkpointName);
    return checkpoint !== null && checkpoint >= position;
  }
}

async function beyondLogHead(log: EventStore, position: LogPosition): Promise<boolean> {
  const head = await log.headPosition();
  return head === null || position > head;
}
