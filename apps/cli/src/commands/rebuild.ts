import { rebuildReadModel, RebuildProgressReport, rebuildResultReport, RebuildResultReport } from '@cds/application';
import { leaseHolderId, leaseStoreFor, LIVE_CHECKPOINT } from '@cds/runtime';
import { AdminApiError } from '../admin-client';
import { single, UsageError, wholeNumber } from '../args';
import { CommandContext, note, number, printResult, progressFor } from '../context';
import { RemoteTarget } from '../target';

interface RemoteJob {
  id: string;
  state: 'running' | 'succeeded' | 'failed';
  generation: string | null;
  progress: RebuildProgressReport | null;
  result: RebuildResultReport | null;
  error: string | null;
}

/** `cds rebuild [--fresh] [--no-switch] [--digest] [--batch-size N]` */
export async function rebuildCommand(ctx: CommandContext): Promise<number> {
  const fresh = ctx.args.flags.has('fresh');
  const switchOver = !ctx.args.flags.has('no-switch');
  const digest = ctx.args.flags.has('digest');
  const batchSize = wholeNumber(ctx.args, 'batch-size', 1, 100_000) ?? 1000;
  if (single(ctx.args, 'as-of') !== undefined) throw new UsageError('rebuild takes no --as-of (see cds replay)');
  const target = await ctx.target();

  let report: RebuildResultReport;
  if (target.kind === 'remote') {
    report = await rebuildRemote(ctx, target, { fresh, switch: switchOver, digest, batch_size: batchSize });
  } else {
    const progress = progressFor(ctx, 'rebuild');
    const result = await rebuildReadModel({
      store: target.store,
      generations: target.generations,
      checkpointName: LIVE_CHECKPOINT,
      batchSize,
      partitions: ctx.config.projection.partitions,
      leases: { store: await leaseStoreFor(ctx.config, target.generations), holder: leaseHolderId(), ttlMs: ctx.config.projection.leaseTtlMs },
      onPoison: ctx.config.projectorOnPoison,
      fresh,
      switchOver,
      digest,
      signal: ctx.signal,
      onProgress: (p) =>
        progress.update({ fraction: p.fraction, done: p.eventsProjected, unit: 'events', rate: p.eventsPerSecond, etaSeconds: p.etaSeconds }),
    });
    progress.finish();
    report = rebuildResultReport(result);
  }
  printResult(ctx, report, describe(report));
  return 0;
}

function describe(r: RebuildResultReport): string[] {
  const lines = [
    `${r.resumed ? 'resumed and ' : ''}rebuilt generation ${r.generation} up to position ${number(r.position)}: ` +
      `${number(r.events_projected)} events in ${r.seconds.toFixed(1)} s (${number(Math.round(r.events_per_second))} events/s)`,
    r.switched ? `readers switched from ${r.previous} to ${r.generation}` : `not switched: ${r.previous} still serves`,
  ];
  if (r.dead_letters > 0) lines.push(`dead letters: ${r.dead_letters} (cds dead-letters lists them)`);
  if (r.digest) lines.push(`digest ${r.digest.digest} (${number(r.digest.profiles)} profiles, ${number(r.digest.redirects)} redirects)`);
  return lines;
}

async function rebuildRemote(ctx: CommandContext, target: RemoteTarget, body: Record<string, unknown>): Promise<RebuildResultReport> {
  let job: RemoteJob;
  try {
    job = await target.client.json<RemoteJob>('POST', '/admin/rebuild', body);
  } catch (error) {
    if (!(error instanceof AdminApiError && error.code === 'rebuild_running')) throw error;
    note(ctx, 'A rebuild is running in the service already; following it.');
    job = await target.client.json<RemoteJob>('GET', '/admin/rebuild');
  }
  const progress = progressFor(ctx, 'rebuild');
  while (job.state === 'running') {
    if (ctx.signal.aborted) {
      progress.finish();
      throw new Error('Stopped watching; the rebuild goes on in the service (cds status shows it)');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    job = await target.client.json<RemoteJob>('GET', '/admin/rebuild');
    const p = job.progress;
    if (p) progress.update({ fraction: p.fraction, done: p.events_projected, unit: 'events', rate: p.events_per_second, etaSeconds: p.eta_seconds });
  }
  progress.finish();
  if (job.state === 'failed' || job.result === null) throw new Error(`The rebuild failed in the service: ${job.error ?? 'no result'}`);
  return job.result;
}
