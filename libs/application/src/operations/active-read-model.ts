import { LogPosition } from '../ports/event-store.port';
import {
  CheckpointUpdate,
  DocumentKey,
  ListPage,
  ListQuery,
  ProfileDocument,
  ProfileReadModel,
} from '../ports/read-model.port';
import { DeadLetter, ProjectionDeadLetters } from './dead-letters.port';
import { GenerationHandle, ReadModelGenerations } from './generations.port';

export interface SwitchListener {
  /** Before readers move: the live projector stops here (its last batch still lands in the old generation). */
  before?: (from: GenerationHandle, to: GenerationHandle) => Promise<void> | void;
  /** After readers moved: the live projector starts again, from the new generation's checkpoint. */
  after?: (to: GenerationHandle) => Promise<void> | void;
}

/**
 * The read model of the active generation. Every call goes to the generation known as active;
 * the pointer is re-read by `refresh()`, which `follow()` calls on a timer (every second by
 * default, so readers move within that after a switch). Reads never refresh by themselves, so
 * a projector writing through this object never sees the generation change under a batch.
 */
export class ActiveReadModel implements ProfileReadModel {
  private handle: GenerationHandle;
  private refreshing?: Promise<GenerationHandle>;
  private timer?: NodeJS.Timeout;
  private readonly listeners: SwitchListener[] = [];

  /** The dead letters of the active generation. */
  readonly deadLetters: ProjectionDeadLetters = {
    record: (letter: DeadLetter) => this.handle.deadLetters.record(letter),
    count: () => this.handle.deadLetters.count(),
    list: (options) => this.handle.deadLetters.list(options),
    last: () => this.handle.deadLetters.last(),
  };

  private constructor(
    readonly generations: ReadModelGenerations,
    handle: GenerationHandle,
  ) {
    this.handle = handle;
  }

  static async open(generations: ReadModelGenerations): Promise<ActiveReadModel> {
    const state = await generations.state();
    return new ActiveReadModel(generations, await generations.open(state.active));
  }

  /** The active generation as last seen. */
  current(): GenerationHandle {
    return this.handle;
  }

  onSwitch(listener: SwitchListener): void {
    this.listeners.push(listener);
  }

  /** Re-reads the pointer now; on a change, switches (with the listeners around it) before resolving. */
  refresh(): Promise<GenerationHandle> {
    this.refreshing ??= (async () => {
      try {
        const state = await this.generations.state();
        if (state.active !== this.handle.id) {
          const from = this.handle;
          const to = await this.generations.open(state.active);
          for (const listener of this.listeners) await listener.before?.(from, to);
          this.handle = to;
          for (const listener of this.listeners) await listener.after?.(to);
        }
        return this.handle;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** Re-reads the pointer every `intervalMs` until `close()`. */
  follow(intervalMs = 1000, onError?: (error: unknown) => void): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => onError?.(error));
    }, intervalMs);
    this.timer.unref();
  }

  stopFollowing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async getMany(tenant: string, profileIds: string[]): Promise<Map<string, ProfileDocument>> {
    return this.handle.readModel.getMany(tenant, profileIds);
  }

  async get(tenant: string, profileId: string): Promise<ProfileDocument | null> {
    return this.handle.readModel.get(tenant, profileId);
  }

  async applyBatch(documents: ProfileDocument[], checkpoint: CheckpointUpdate): Promise<void> {
    return this.handle.readModel.applyBatch(documents, checkpoint);
  }

  async checkpoint(name: string): Promise<LogPosition | null> {
    return this.handle.readModel.checkpoint(name);
  }

  async list(tenant: string, query: ListQuery): Promise<ListPage> {
    return this.handle.readModel.list(tenant, query);
  }


  async scan(after: DocumentKey | undefined, limit: number): Promise<ProfileDocument[]> {
    return this.handle.readModel.scan(after, limit);
  }

  /** Stops following and closes the generations, and with them every generation's storage. */
  async close(): Promise<void> {
    this.stopFollowing();
    await this.refreshing?.catch(() => undefined);
    await this.generations.close();
  }
}
