import { elapsedMs, summarize } from './measure';
import { BenchService, bearer } from './service';

const ORG = 'bench-unmerge';

/**
 * Unmerge latency on a big survivor: a profile with about `events` events in its stream and
 * `merged` profiles merged into it; each round splits one merged profile off (the request answers
 * once the split is done) and merges it back by hand for the next round.
 */
export async function measureUnmerge(service: BenchService, events: number, merged: number, rounds: number) {
  const auth = await bearer(service, ORG);
  const api = `/t/${ORG}/cds/api/v1`;
  await service.call('POST', `${api}/profile-schema/traits`, [
    { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
    { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 50 },
  ], auth);
  const survivor = (await service.call('POST', `${api}/profiles`, { traits: { visits: 1 } }, auth)).body.profile_id as string;
  const others: string[] = [];
  for (let i = 0; i < merged; i++) {
    const other = (await service.call('POST', `${api}/profiles`, { traits: { visits: 1, pages: [`/m${i}`] } }, auth)).body.profile_id as string;
    const res = await service.call('POST', `${api}/profiles/${survivor}/merge`, { profile_id: other }, auth);
    if (res.status !== 200) throw new Error(`merge answered ${res.status}`);
    others.push(other);
  }
  const writers = 16;
  for (let written = 0; written < events; written += writers) {
    await Promise.all(
      Array.from({ length: writers }, (_, i) => service.call('PATCH', `${api}/profiles/${others[(written + i) % others.length]}`, { traits: { visits: 1, pages: [`/p${(written + i) % 200}`] } }, auth)),
    );
  }
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const other = others[round % others.length];
    const start = process.hrtime.bigint();
    const split = await service.call('POST', `${api}/profiles/${survivor}/unmerge`, { profile_id: other }, auth);
    samples.push(elapsedMs(start));
    if (split.status !== 200) throw new Error(`unmerge answered ${split.status}: ${JSON.stringify(split.body)}`);
    const back = await service.call('POST', `${api}/profiles/${survivor}/merge`, { profile_id: other }, auth);
    if (back.status !== 200) throw new Error(`merge answered ${back.status}`);
  }
  return { survivor_events: events + merged * 2, merged_profiles: merged, rounds, ...summarize(samples) };
}
