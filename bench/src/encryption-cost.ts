import { join } from 'node:path';
import { FileEventStore } from '@cds/adapters-embedded';
import { BenchModule } from './bench-module';
import { EncryptionResult, measureEncryption, projectedCostPct } from './encryption';
import { log } from './measure';
import { realisticLogOf } from './realistic-log';

/** The fold of sealed payloads against clear ones over the realistic log (see encryption.ts). */
export const encryptionCost: BenchModule = {
  name: 'encryption',
  async run(context) {
    const store = await FileEventStore.open({ directory: join(realisticLogOf(context).data_dir, 'log'), fsync: false });
    log('measuring the fold of sealed payloads against clear ones');
    try {
      return { ...(await measureEncryption(store)) };
    } finally {
      await store.close();
    }
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
