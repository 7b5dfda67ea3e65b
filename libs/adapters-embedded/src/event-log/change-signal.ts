/**
 * Wakes everyone waiting for the durable head to move. Each change replaces the promise, and
 * waiters check the head before they wait, so no wake-up can fall between check and wait.
 */
export class ChangeSignal {
  private resolveCurrent!: () => void;
  private current = this.fresh();

  wait(): Promise<void> {
    return this.current;
  }

  notify(): void {
    const resolve = this.resolveCurrent;
    this.current = this.fresh();
    resolve();
  }

  private fresh(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.resolveCurrent = resolve;
    });
  }
}
