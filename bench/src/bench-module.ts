import { Target } from './targets';

/** What every module of a bench run shares: its flags, the test servers, and the figures so far. */
export interface BenchContext {
  flags: BenchFlags;
  /** Set when the test-server runner started them. */
  servers: { kafkaBrokers?: string; mongoUrl?: string; esdbUrl?: string };
  /** A directory of this run, removed at the end. */
  scratch: string;
  /** Figures of the modules that ran before, by module name. */
  results: Record<string, unknown>;
}

export interface BenchFlags {
  events: number;
  tenants: number;
  mongoEvents: number;
  naiveEvents: number;
  /** Seconds per round of HTTP load. */
  patchSeconds: number;
  rounds: number;
  kafkaMessages: number;
  serviceProfiles: number;
  /** Events written by each log engine in the side-by-side comparison. */
  engineEvents: number;
}

/**
 * One benchmark: it measures, returns its figures (recorded under its name in results.json),
 * and says which targets they meet. A module that throws is reported and the run goes on.
 */
export interface BenchModule {
  name: string;
  run(context: BenchContext): Promise<Record<string, unknown>>;
  targets?(figures: Record<string, unknown>, context: BenchContext): Target[];
}
