/**
 * Runs tasks concurrently, except that tasks sharing a key run in the order they were scheduled:
 * writes to one stream stay ordered while writes to disjoint streams overlap (and share the log's
 * group commits).
 */
export class KeyedLanes {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Starts `task` once every earlier task on any of `keys` has settled. */
  schedule<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const before = keys.map((key) => this.tails.get(key)).filter((tail): tail is Promise<unknown> => tail !== undefined);
    const run = (before.length === 0 ? Promise.resolve() : Promise.allSettled(before)).then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    for (const key of keys) this.tails.set(key, settled);
    void settled.then(() => {
      for (const key of keys) if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return run;
  }

  /** Settles once every task scheduled so far on `keys` has. */
  async idle(keys: readonly string[]): Promise<void> {
    const tails = keys.map((key) => this.tails.get(key)).filter((tail): tail is Promise<unknown> => tail !== undefined);
    if (tails.length > 0) await Promise.all(tails);
  }

  /** Settles once every task scheduled so far has. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
