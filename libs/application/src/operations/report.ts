import { LogPosition } from '../ports/event-store.port';
import { ReadModelDigest } from './digest';
import { RebuildProgress, RebuildResult } from './rebuild';

/** Rebuild progress as the admin API and the `cds` tool print it. */
export interface RebuildProgressReport {
  generation: string;
  phase: RebuildProgress['phase'];
  position: LogPosition | null;
  head: LogPosition | null;
  start_position: LogPosition | null;
  events_projected: number;
  elapsed_seconds: number;
  events_per_second: number;
  fraction: number | null;
  eta_seconds: number | null;
}

export interface RebuildResultReport {
  generation: string;
  previous: string;
  resumed: boolean;
  switched: boolean;
  position: LogPosition | null;
  start_position: LogPosition | null;
  events_projected: number;
  seconds: number;
  events_per_second: number;
  dead_letters: number;
  digest?: ReadModelDigest;
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function rebuildProgressReport(p: RebuildProgress): RebuildProgressReport {
  return {
    generation: p.generation,
    phase: p.phase,
    position: p.position,
    head: p.head,
    start_position: p.startPosition,
    events_projected: p.eventsProjected,
    elapsed_seconds: round(p.elapsedSeconds, 2),
    events_per_second: round(p.eventsPerSecond),
    fraction: p.fraction === null ? null : round(p.fraction, 4),
    eta_seconds: p.etaSeconds === null ? null : round(p.etaSeconds),
  };
}

export function rebuildResultReport(r: RebuildResult): RebuildResultReport {
  return {
    generation: r.generation,
    previous: r.previous,
    resumed: r.resumed,
    switched: r.switched,
    position: r.position,
    start_position: r.startPosition,
    events_projected: r.eventsProjected,
    seconds: round(r.seconds, 3),
    events_per_second: round(r.eventsPerSecond),
    dead_letters: r.deadLetters,
    ...(r.digest ? { digest: r.digest } : {}),
  };
}
