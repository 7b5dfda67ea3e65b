import {
  DEFAULT_GENERATION,
  GenerationConflictError,
  GenerationHandle,
  GenerationsState,
  ProfileReadModel,
  ReadModelGenerations,
} from '@cds/application';
import { InMemoryProfileReadModel } from '../read-model/in-memory-read-model';
import { InMemoryProjectionDeadLetters } from './in-memory-dead-letters';

/**
 * Read-model generations inside one process (the embedded default). A rebuild fills a fresh
 * in-memory read model while the active one serves; the switch is a compare-and-set of the
 * pointer; the generation switched away from is let go, since nothing reads it any more.
 */
export class InMemoryReadModelGenerations implements ReadModelGenerations {
  private readonly handles = new Map<string, GenerationHandle>();
  private current: GenerationsState = { active: DEFAULT_GENERATION, building: null, previous: null, switchedAt: null };
  private counter = 1;

  /** Generations whose first (active) one is the given read model. */
  static around(readModel: ProfileReadModel): InMemoryReadModelGenerations {
    const generations = new InMemoryReadModelGenerations();
    generations.handles.set(DEFAULT_GENERATION, {
      id: DEFAULT_GENERATION,
      readModel,
      deadLetters: new InMemoryProjectionDeadLetters(),
    });
    return generations;
  }

  async state(): Promise<GenerationsState> {
    return { ...this.current };
  }

  async open(id: string): Promise<GenerationHandle> {
    let handle = this.handles.get(id);
    if (handle === undefined) {
      if (id !== this.current.active && id !== this.current.building) {
        throw new GenerationConflictError(`Generation ${id} is neither active nor being built`);
      }
      handle = { id, readModel: new InMemoryProfileReadModel(), deadLetters: new InMemoryProjectionDeadLetters() };
      this.handles.set(id, handle);
    }
    return handle;
  }

  async beginBuild(options: { fresh: boolean }): Promise<{ id: string; resumed: boolean }> {
    if (this.current.building !== null && !options.fresh) return { id: this.current.building, resumed: true };
    if (this.current.building !== null) this.handles.delete(this.current.building);
    const id = `g${++this.counter}`;
    this.handles.delete(id);
    this.current = { ...this.current, building: id };
    return { id, resumed: false };
  }

  async activate(id: string, expectedActive: string, at: string): Promise<void> {
    if (this.current.active !== expectedActive || this.current.building !== id) {
      throw new GenerationConflictError(
        `Cannot switch to ${id}: active is ${this.current.active} (expected ${expectedActive}), building is ${String(this.current.building)}`,
      );
    }
    const previous = this.current.active;
    this.current = { active: id, building: null, previous, switchedAt: at };
    // Nothing reads the old generation any more; the live projector leaves it within a refresh.
    this.handles.delete(previous);
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles.values()].map((handle) => handle.readModel.close()));
  }
}
