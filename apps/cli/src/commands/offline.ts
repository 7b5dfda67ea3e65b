import { GenerationHandle, rebuildReadModel, RebuildResult } from '@cds/application';
import { LIVE_CHECKPOINT } from '@cds/runtime';
import { CommandContext, progressFor } from '../context';
import { LocalTarget } from '../target';

/**
 * The read model a stopped embedded service would have: the log folded into memory, as the
 * service folds it at start. Nothing is switched; there is nothing persistent to switch.
 */
export async function foldStoppedDirectory(
  ctx: CommandContext,
  target: LocalTarget,
  options: { digest: boolean; batchSize?: number },
): Promise<{ handle: GenerationHandle; result: RebuildResult }> {
  const progress = progressFor(ctx, 'folding the log');
  const result = await rebuildReadModel({
    store: target.store,
    generations: target.generations,
    checkpointName: LIVE_CHECKPOINT,
    batchSize: options.batchSize ?? 2000,
    onPoison: ctx.config.projectorOnPoison,
    switchOver: false,
    digest: options.digest,
    signal: ctx.signal,
    onProgress: (p) =>
      progress.update({ fraction: p.fraction, done: p.eventsProjected, unit: 'events', rate: p.eventsPerSecond, etaSeconds: p.etaSeconds }),
  });
  progress.finish();
  return { handle: await target.generations.open(result.generation), result };
}
