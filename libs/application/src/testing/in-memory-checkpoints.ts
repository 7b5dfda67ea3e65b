import { CheckpointFencedError, CheckpointStore } from '../ports/checkpoint-store.port';
import { LogPosition } from '../ports/event-store.port';

/** Checkpoints of log followers kept in memory (the embedded default's in-process followers, specs). */
export class InMemoryCheckpoints implements CheckpointStore {
  private readonly saved = new Map<string, { position: LogPosition; token: number }>();

  async load(name: string): Promise<LogPosition | null> {
    return this.saved.get(name)?.position ?? null;
  }

  async save(name: string, position: LogPosition, fencingToken = 0): Promise<void> {
    const current = this.saved.get(name);
    if (current && current.token > fencingToken) throw new CheckpointFencedError(name);
    this.saved.set(name, { position, token: fencingToken });
  }
}
