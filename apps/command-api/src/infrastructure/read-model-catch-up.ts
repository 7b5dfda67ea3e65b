import { LogPosition, ProfileProjector, ProfileReadModel } from '@cds/application';

/** Lets a read wait until the read model holds a given write. */
export interface ReadModelCatchUp {
  waitFor(position: LogPosition, timeoutMs: number): Promise<boolean>;
}

/** Same process as the projector: woken by it directly. */
export class InProcessCatchUp implements ReadModelCatchUp {
  constructor(private readonly projector: ProfileProjector) {}
  waitFor(position: LogPosition, timeoutMs: number): Promise<boolean> {
    return this.projector.waitFor(position, timeoutMs);
  }
}

/** The projector runs elsewhere: poll its checkpoint in the shared read model. */
export class PollingCatchUp implements ReadModelCatchUp {
  constructor(private readonly readModel: ProfileReadModel, private readonly checkpointName: string) {}
  async waitFor(position: LogPosition, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const checkpoint = await this.readModel.checkpoint(this.checkpointName);
      if (checkpoint !== null && checkpoint >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
