import { BenchModule } from './bench-module';
import { EncryptionResult, measureEncryption, projectedCostPct } from './encryption';
import { log } from './measure';
import { withRealisticLog } from './realistic-log';

/** The fold of sealed payloads against clear ones over the realistic log (see encryption.ts). */
export const encryptionCost: BenchModule = {
  name: 'encryption',
  async run(context) {
    log('measuring the fold of sealed payloads against clear ones');
    return withRealisticLog(context, async (store) => ({ ...(await measureEncryption(store)) }));
  },
  targets(figures, context) {
    const rebuild = context.results.rebuild_embedded as { events_per_s?: number } | undefined;
    return [
      {
        name: 'encryption cost on the embedded rebuild (projected)',
        measured: rebuild?.events_per_s ? projectedCostPct(figures as unknown as EncryptionResult, rebuild.events_per_s) : null,
        target: 15,
        better: 'lower',
        unit: '%',
      },
    ];
  },
};
