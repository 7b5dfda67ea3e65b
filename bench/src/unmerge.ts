import { elapsedMs, summarize } from './measure';
import { BenchService, bearer, startService } from './service';

const ORG = 'bench-unmerge';
const API = `/t/${ORG}/cds/api/v1`;

/**
 * Unmerge latency on a big survivor: a profile with about `events` events in its stream and
 * `merged` profiles merged into it; each round splits one merged profile off (the request answers
 * once the split is done) and merges it back by hand for the next round. The unifier keeps the
 * survivor's history in memory as it follows the log, so those rounds do not read it; then the
 * service is restarted `restarts` times, each first unmerge after a restart reading and opening
 * the whole history from the log (reported apart, as `after_restart`).
 */
export async function measureUnmerge(dataDir: string, events: number, merged: number, rounds: number, restarts: number) {
  let service = await startService({ name: 'service-unmerge', dataDir });
  try {
    let auth = await bearer(service, ORG);
    const { survivor, others } = await bigSurvivor(service, auth, events, merged);
    const samples: number[] = [];
    for (let round = 0; round < rounds; round++) samples.push(await unmergeAndMergeBack(service, auth, survivor, others[round % others.length]));
    const afterRestart: number[] = [];
    for (let restart = 0; restart < restarts; restart++) {
      await service.stop();
      service = await startService({ name: 'service-unmerge', dataDir, untilCaughtUp: true });
      auth = await bearer(service, ORG);
      afterRestart.push(await unmergeAndMergeBack(service, auth, survivor, others[(rounds + restart) % others.length]));
    }
    return { survivor_events: events + merged * 2, merged_profiles: merged, rounds, ...summarize(samples), after_restart: summarize(afterRestart) };
  } finally {
    await service.stop();
  }
}

async function bigSurvivor(service: BenchService, auth: Record<string, string>, events: number, merged: number) {
  await service.call('POST', `${API}/profile-schema/traits`, [
    { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
    { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 50 },
  ], auth);
  const survivor = (await service.call('POST', `${API}/profiles`, { traits: { visits: 1 } }, auth)).body.profile_id as string;
  const others: string[] = [];
  for (let i = 0; i < merged; i++) {
    const other = (await service.call('POST', `${API}/profiles`, { traits: { visits: 1, pages: [`/m${i}`] } }, auth)).body.profile_id as string;
    const res = await service.call('POST', `${API}/profiles/${survivor}/merge`, { profile_id: other }, auth);
    if (res.status !== 200) throw new Error(`merge answered ${res.status}`);
    others.push(other);
  }
  const writers = 16;
  for (let written = 0; written < events; written += writers) {
    await Promise.all(
      Array.from({ length: writers }, (_, i) => service.call('PATCH', `${API}/profiles/${others[(written + i) % others.length]}`, { traits: { visits: 1, pages: [`/p${(written + i) % 200}`] } }, auth)),
    );
  }
  return { survivor, others };
}

/** Milliseconds until the unmerge answered; the merge back is not timed. */
async function unmergeAndMergeBack(service: BenchService, auth: Record<string, string>, survivor: string, other: string): Promise<number> {
  const start = process.hrtime.bigint();
  const split = await service.call('POST', `${API}/profiles/${survivor}/unmerge`, { profile_id: other }, auth);
  const ms = elapsedMs(start);
  if (split.status !== 200) throw new Error(`unmerge answered ${split.status}: ${JSON.stringify(split.body)}`);
  const back = await service.call('POST', `${API}/profiles/${survivor}/merge`, { profile_id: other }, auth);
  if (back.status !== 200) throw new Error(`merge answered ${back.status}`);
  return ms;
}
