/** What every launcher returns once its server answers requests. */
export interface RunningServer {
  /** Short name for progress and error messages. */
  readonly name: string;
  /** Environment variables that tell clients where the server is. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the server and removes its temporary files. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Wraps a stop function so repeated calls share one run. */
export function once(stop: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= stop());
}
