import { join } from 'node:path';
import { BenchModule } from './bench-module';
import { EncryptionResult, measureEncryption } from './encryption';
import { log } from './measure';
import { realisticLogOf } from './realistic-log';

/** The embedded rebuild of a sealed copy of the realistic log against that of the clear log (see encryption.ts). */
export const encryptionCost: BenchModule = {
  name: 'encryption',
  async run(context) {
    log('measuring what sealed payloads cost the embedded rebuild');
    return { ...(await measureEncryption(join(realisticLogOf(context).data_dir, 'log'), context.scratch)) };
  },
  targets(figures) {
    const result = figures as unknown as EncryptionResult;
    return [{ name: 'encryption cost on the embedded rebuild', measured: result.same_read_model ? result.cost_pct : null, target: 15, better: 'lower', unit: '%' }];
  },
};
