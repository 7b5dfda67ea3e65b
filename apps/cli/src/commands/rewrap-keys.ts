import { openPersonalData } from '@cds/runtime';
import { CommandContext, number, printResult } from '../context';

/**
 * Re-wraps every subject's data key still wrapped under a previous master key under the current
 * one (CDS_MASTER_KEY), so the previous keys (CDS_MASTER_KEY_PREVIOUS) can be retired. Works on
 * the key store directly: the embedded one is locked by a running service (stop it first);
 * MongoDB's can be re-wrapped while the service runs.
 */
export async function rewrapKeysCommand(ctx: CommandContext): Promise<number> {
  const personalData = await openPersonalData(ctx.config);
  try {
    const { rewrapped } = await personalData.keys.rewrapAll();
    printResult(ctx, { rewrapped }, [`${number(rewrapped)} data key(s) re-wrapped under the current master key`]);
    return 0;
  } finally {
    await personalData.store.close();
  }
}
