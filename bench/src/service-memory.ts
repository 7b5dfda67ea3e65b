import { join } from 'node:path';
import { FileEventStore } from '@cds/adapters-embedded';
import { BenchModule } from './bench-module';
import { generateLog } from './generate-log';
import { log, processMemory, round } from './measure';
import { bearer, startService } from './service';
import { runWrk, scriptPath, writeWrkScript } from './wrk';

const TENANTS = 5;
const SAMPLE_MS = 250;

/** Ids of every profile the log created, by tenant. */
async function profileIds(store: FileEventStore): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>();
  let after: number | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 10_000, filter: { eventTypes: ['ProfileCreated'] } });
    if (page.length === 0) return ids;
    after = page[page.length - 1].position;
    for (const event of page) {
      const tenant = event.metadata.tenant;
      const list = ids.get(tenant) ?? [];
      list.push((event.data as { profile_id: string }).profile_id);
      ids.set(tenant, list);
    }
  }
}

/**
 * The embedded service's memory with many live profiles: a log of `serviceProfiles` live
 * profiles (nobody signs in, so none merges away), folded by the service at start, then PATCH
 * and GET load over all of them. RSS is sampled throughout; the target allows 150 MiB plus
 * 2 KiB per live profile.
 */
export const serviceMemory: BenchModule = {
  name: 'service_memory',
  async run(context) {
    const dataDir = join(context.scratch, 'memory');
    const store = await FileEventStore.open({ directory: join(dataDir, 'log'), fsync: false });
    log(`writing a log of about ${context.flags.serviceProfiles} live profiles`);
    const people = Math.round(context.flags.serviceProfiles / (2 * TENANTS));
    const generated = await generateLog(store, { tenants: TENANTS, people, writesPerDevice: 4, signInShare: 0, seed: 7 });
    const ids = await profileIds(store);
    await store.close();

    log('starting the service on it (it folds the log into its read model)');
    const service = await startService({ dataDir, name: 'service-memory', untilCaughtUp: true });
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(processMemory(service.pid).rss_mib), SAMPLE_MS);
    try {
      const afterFold = processMemory(service.pid).rss_mib;
      const tenant = generated.tenants[0];
      const auth = await bearer(service, tenant);
      const api = `/t/${tenant}/cds/api/v1`;
      const tenantIds = ids.get(tenant)!;
      const seconds = context.flags.patchSeconds * 2;
      log(`PATCH load over ${tenantIds.length} profiles of one tenant, ${seconds} s`);
      const patchScript = writeWrkScript(scriptPath(context.scratch, 'memory-patch'), {
        method: 'PATCH',
        path: `${api}/profiles/{id}`,
        ids: tenantIds,
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ traits: { visits: 1, interests: ['yoga'], last_page: '/sale' } }),
      });
      const patch = await runWrk(service.url, { connections: 32, seconds, script: patchScript });
      log(`GET load over the same profiles, ${seconds} s`);
      const getScript = writeWrkScript(scriptPath(context.scratch, 'memory-get'), { method: 'GET', path: `${api}/profiles/{id}`, ids: tenantIds, headers: auth });
      const get = await runWrk(service.url, { connections: 32, seconds, script: getScript });
      const memory = processMemory(service.pid);
      return {
        live_profiles: generated.live_profiles,
        events: generated.events,
        rss_after_fold_mib: afterFold,
        rss_after_load_mib: memory.rss_mib,
        max_sampled_rss_mib: Math.max(...samples, memory.rss_mib),
        peak_rss_mib: memory.peak_rss_mib,
        budget_mib: round(150 + (2 * generated.live_profiles) / 1024, 0),
        patch,
        get,
      };
    } finally {
      clearInterval(sampler);
      await service.stop();
    }
  },
  targets: (figures) => [
    {
      name: `embedded service RSS at ${figures.live_profiles} live profiles`,
      measured: figures.max_sampled_rss_mib as number,
      target: figures.budget_mib as number,
      better: 'lower',
      unit: 'MiB',
    },
  ],
};
