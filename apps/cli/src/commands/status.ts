import { DeadLetter, readModelStatus } from '@cds/application';
import { LIVE_CHECKPOINT } from '@cds/runtime';
import { wholeNumber } from '../args';
import { CommandContext, number, printResult } from '../context';

interface StatusReport {
  generations?: { active: string; building: string | null; previous: string | null; switchedAt: string | null };
  checkpoint: number | null;
  /** Partitions of the projection; the checkpoint is the lowest of theirs. */
  partitions?: number;
  head: number | null;
  lag: number | null;
  lag_capped?: boolean;
  events_per_second: number | null;
  last_error: string | null;
  dead_letters?: { count: number; last: DeadLetter | null };
  building?: { generation: string; checkpoint: number | null } | null;
  projector_mode?: string;
  rebuild?: { state: string; generation: string | null; progress: { fraction: number | null } | null } | null;
}

/** `cds status [--sample-ms N]` */
export async function statusCommand(ctx: CommandContext): Promise<number> {
  const sampleMs = wholeNumber(ctx.args, 'sample-ms', 0, 60_000);
  const target = await ctx.target();
  let report: StatusReport;
  if (target.kind === 'remote') {
    report = await target.client.json<StatusReport>('GET', `/admin/status${sampleMs === undefined ? '' : `?sample_ms=${sampleMs}`}`);
  } else {
    report = await readModelStatus({
      store: target.store,
      generations: target.generations,
      checkpointName: LIVE_CHECKPOINT,
      partitions: ctx.config.projection.partitions,
      sampleMs: sampleMs ?? 1000,
    });
  }
  printResult(ctx, report, describe(report));
  return 0;
}

function describe(r: StatusReport): string[] {
  const rows: Array<[string, string]> = [];
  if (r.generations) rows.push(['generation', `${r.generations.active}${r.generations.switchedAt ? ` (since ${r.generations.switchedAt})` : ''}`]);
  rows.push(['checkpoint', `${number(r.checkpoint)}${r.partitions && r.partitions > 1 ? ` (lowest of ${r.partitions} partitions)` : ''}`]);
  rows.push(['head of log', number(r.head)]);
  rows.push(['lag', r.lag === null ? '-' : `${r.lag_capped ? '≥' : ''}${number(r.lag)} events`]);
  rows.push(['events/s', r.events_per_second === null ? '-' : number(r.events_per_second)]);
  if (r.dead_letters) {
    const last = r.dead_letters.last;
    rows.push(['dead letters', `${number(r.dead_letters.count)}${last ? ` (last: ${last.stream}@${last.revision}, position ${last.position})` : ''}`]);
  }
  rows.push(['last error', r.last_error ?? '-']);
  if (r.building) rows.push(['rebuilding', `${r.building.generation} at position ${number(r.building.checkpoint)}`]);
  if (r.rebuild) {
    const fraction = r.rebuild.progress?.fraction;
    rows.push(['rebuild job', `${r.rebuild.state}${r.rebuild.generation ? ` ${r.rebuild.generation}` : ''}${fraction != null ? ` ${(fraction * 100).toFixed(1)}%` : ''}`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
}
