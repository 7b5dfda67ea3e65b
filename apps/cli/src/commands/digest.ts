import { assertTenant, digestReadModel, ReadModelDigest } from '@cds/application';
import { LIVE_CHECKPOINT } from '@cds/runtime';
import { single } from '../args';
import { CommandContext, number, printResult, progressFor } from '../context';

interface DigestReport extends ReadModelDigest {
  generation: string;
  active: boolean;
  checkpoint: number | null;
  tenants?: string[];
}

/** `cds digest [--tenant T]... [--generation G]` */
export async function digestCommand(ctx: CommandContext): Promise<number> {
  const tenants = (ctx.args.options.get('tenant') ?? []).map((t) => assertTenant(t));
  const generation = single(ctx.args, 'generation');
  const target = await ctx.target();
  let report: DigestReport;
  if (target.kind === 'remote') {
    const query = new URLSearchParams();
    for (const tenant of tenants) query.append('tenant', tenant);
    if (generation) query.set('generation', generation);
    report = await target.client.json<DigestReport>('GET', `/admin/digest${query.size > 0 ? `?${query}` : ''}`);
  } else {
    const state = await target.generations.state();
    const id = generation ?? state.active;
    const handle = await target.generations.open(id);
    const progress = progressFor(ctx, `digest ${id}`);
    const checkpoint = await handle.readModel.checkpoint(LIVE_CHECKPOINT);
    const digest = await digestReadModel(handle.readModel, {
      tenants,
      onProgress: (documents) => progress.update({ fraction: null, done: documents, unit: 'documents', rate: null, etaSeconds: null }),
    });
    progress.finish();
    report = { generation: id, active: id === state.active, checkpoint, ...(tenants.length ? { tenants } : {}), ...digest };
  }
  printResult(ctx, report, [
    report.digest,
    `generation ${report.generation}${report.active ? ' (active)' : ''} at position ${number(report.checkpoint)}: ` +
      `${number(report.profiles)} profiles, ${number(report.redirects)} redirects`,
  ]);
  return 0;
}
