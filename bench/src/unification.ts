import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { BenchModule } from './bench-module';
import { log, median, round } from './measure';
import { realisticLogOf } from './realistic-log';
import { startService } from './service';
import { measureSignInStorm, measureUnifierStartup, measureUnifierThroughput } from './sign-in-storm';
import { measureUnmerge } from './unmerge';

interface Latency {
  p99_ms: number;
}

/**
 * Unification under load: a sign-in storm over HTTP (1,000 users on two devices each), the
 * unifier's own merge rate on a log written with no unifier running, its start-up on the realistic
 * log, and unmerge on a survivor with 10k events and 50 merged profiles.
 */
export const unification: BenchModule = {
  name: 'unification',
  async run(context) {
    const service = await startService({ name: 'service-unification' });
    try {
      log('sign-in storm: 1,000 users × 2 devices, 64 in flight');
      const storm = await measureSignInStorm(service, 1_000);
      log('unmerge on a survivor with 10k events and 50 merged profiles, then after 5 restarts');
      const unmerge = await measureUnmerge(mkdtempSync(join(context.scratch, 'unmerge-')), 10_000, 50, 50, 5);
      // Three rounds, each on a log of its own, the median reported: one round is 1.3 s, and the
      // first also pays for compiling the unifier's code.
      const rounds = [];
      for (let round = 1; round <= 3; round++) {
        log(`the unifier alone: 2,000 merges waiting in the log (round ${round} of 3)`);
        rounds.push(await measureUnifierThroughput(2_000));
      }
      const throughput = { users: 2_000, events: rounds[0].events, seconds: rounds.map((r) => r.seconds), merges_per_s: median(rounds.map((r) => r.merges_per_s)), rounds: rounds.map((r) => r.merges_per_s) };
      log('the unifier starting on the realistic log, its checkpoint at the head');
      const startup = await measureUnifierStartup(join(realisticLogOf(context).data_dir, 'log'));
      return { sign_in_storm: storm, unmerge, unifier: throughput, unifier_startup: startup };
    } finally {
      await service.stop();
    }
  },
  targets: (figures) => [
    { name: 'sign-in storm, merged readable p99', measured: (figures.sign_in_storm as { merged_readable: Latency }).merged_readable.p99_ms, target: 250, better: 'lower', unit: 'ms' },
    { name: 'unifier merges per second (one tenant)', measured: (figures.unifier as { merges_per_s: number }).merges_per_s, target: 2_000, better: 'higher', unit: '/s' },
    { name: 'unifier start-up on the realistic log', measured: round((figures.unifier_startup as { total_ms: number }).total_ms / 1000, 2), target: 2, better: 'lower', unit: 's' },
    { name: 'unmerge p99 (10k events, 50 merged)', measured: (figures.unmerge as Latency).p99_ms, target: 200, better: 'lower', unit: 'ms' },
  ],
};
