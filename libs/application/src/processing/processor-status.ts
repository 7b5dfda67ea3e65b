import { LogPosition } from '../ports/event-store.port';
import { DeadLetter } from '../operations/dead-letters.port';
import { LeaseKeeperStatus } from './lease-keeper';

/** What a processor does with an event it cannot fold: set it aside and go on, or stop there. */
export type PoisonPolicy = 'skip' | 'halt';

export interface ProjectorStatus {
  name: string;
  /** The lowest checkpoint among the partitions this instance holds (null: none held, or none written yet). */
  position: LogPosition | null;
  eventsProjected: number;
  batchesWritten: number;
  lastError: string | null;
  /** Started and not stopped or halted: following the log, or standing by for a partition. */
  running: boolean;
  /** Events set aside in the dead-letter store of the read model it writes to. */
  deadLetters: number;
  lastDeadLetter: DeadLetter | null;
  /** Stopped at an event it could not fold (onPoison: halt). */
  halted: boolean;
  /** Events folded per second over the last few seconds. */
  eventsPerSecond: number;
  /** How many partitions the projection has, and which of them this instance writes, with their checkpoints. */
  partitions: { count: number; held: number[]; positions: Record<number, LogPosition | null> };
  /** Holds no partition because others hold them all; takes one over when its holder goes. */
  standingBy: boolean;
  /** Failed attempts in a row since the last batch written; the processor keeps retrying. */
  failures: number;
  /** The leases behind the partitions, when they are leased. */
  leases: LeaseKeeperStatus | null;
}

/** An event the processor cannot fold, when told to halt on one. */
export class PoisonEventError extends Error {
  constructor(readonly letter: DeadLetter) {
    super(`Projector ${letter.projector} halted at ${letter.stream}@${letter.revision} (position ${letter.position}): ${letter.error}`);
    this.name = 'PoisonEventError';
  }
}

/**
 * Why a projector is not ready, if it is not: readiness means it holds work or stands by for it.
 * A halted, stopped or failing projector says so, while liveness stays with the process.
 */
export function projectorProblems(status: ProjectorStatus): string[] {
  if (status.halted) return [`projector halted: ${status.lastError ?? 'at an event it cannot fold'}`];
  if (!status.running) return [`projector stopped${status.lastError ? `: ${status.lastError}` : ''}`];
  const problems: string[] = [];
  if (status.failures > 0) problems.push(`projector failing (${status.failures} attempt(s), retrying): ${status.lastError ?? 'unknown error'}`);
  if (status.leases?.lastError) problems.push(`leases: ${status.leases.lastError}`);
  return problems;
}

const RATE_WINDOW_MS = 10_000;

/** Events per second over the last few seconds, from the running total sampled at each batch. */
export class RateMeter {
  private readonly samples: Array<{ at: number; events: number }> = [];

  record(total: number, at = Date.now()): void {
    this.samples.push({ at, events: total });
    while (this.samples.length > 2 && this.samples[0].at < at - RATE_WINDOW_MS) this.samples.shift();
  }

  rate(at = Date.now()): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || at - last.at > RATE_WINDOW_MS) return 0;
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.round(((last.events - first.events) / seconds) * 10) / 10 : 0;
  }
}
