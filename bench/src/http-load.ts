import { BenchService, bearer } from './service';
import { elapsedMs, summarize } from './measure';

const ORG = 'bench-http';

async function prepare(service: BenchService, profiles: number) {
  const auth = await bearer(service, ORG);
  const api = `/t/${ORG}/cds/api/v1`;
  await service.call('POST', `${api}/profile-schema/traits`, [
    { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
    { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 20 },
  ], auth);
  const ids: string[] = [];
  for (let i = 0; i < profiles; i++) ids.push((await service.call('POST', `${api}/profiles`, {}, auth)).body.profile_id);
  return { auth, api, ids };
}

/** PATCH throughput and latency with `connections` requests always in flight, for `seconds`. */
export async function measurePatchLoad(service: BenchService, connections: number, seconds: number) {
  const { auth, api, ids } = await prepare(service, 1000);
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  let n = 0;
  const worker = async () => {
    while (Date.now() < end) {
      const id = ids[n++ % ids.length];
      const start = process.hrtime.bigint();
      const res = await service.call('PATCH', `${api}/profiles/${id}`, { traits: { visits: 1, pages: [`/p${n % 50}`] } }, auth);
      latencies.push(elapsedMs(start));
      if (res.status !== 200) errors++;
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: connections }, worker));
  const total = elapsedMs(started) / 1000;
  return { connections, seconds: Math.round(total), requests: latencies.length, errors, req_per_s: Math.round(latencies.length / total), ...summarize(latencies) };
}

/** From the sign-in of a second device to the permanent profile readable with both devices merged. */
export async function measureSignInToMerged(service: BenchService, rounds: number) {
  const auth = await bearer(service, ORG);
  const api = `/t/${ORG}/cds/api/v1`;
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const a = (await service.call('POST', `${api}/profiles`, { traits: { visits: 1 } }, auth)).body;
    const b = (await service.call('POST', `${api}/profiles`, { traits: { visits: 1 } }, auth)).body;
    await service.call('POST', `${api}/profiles/sync`, { user_id: `bench-user-${i}`, anonymous_profile_tracker: a.anonymous_profile_tracker }, auth);
    const start = process.hrtime.bigint();
    const signIn = await service.call('POST', `${api}/profiles/sync`, { user_id: `bench-user-${i}`, anonymous_profile_tracker: b.anonymous_profile_tracker }, auth);
    const position = signIn.headers['cds-log-position'];
    const read = await service.call('GET', `${api}/profiles/${a.profile_id}?wait_for_position=${position}`, undefined, auth);
    samples.push(elapsedMs(start));
    if (read.body.merged_from?.[0]?.profile_id !== b.profile_id) throw new Error('sign-in did not merge the second device');
  }
  return summarize(samples);
}

/** `GET /profiles/{id}?as_of=<position>` on a profile with `events` events in its stream. */
export async function measureAsOf(service: BenchService, events: number, rounds: number) {
  const auth = await bearer(service, ORG);
  const api = `/t/${ORG}/cds/api/v1`;
  const { profile_id: id } = (await service.call('POST', `${api}/profiles`, {}, auth)).body;
  const positions: number[] = [];
  const writers = 16;
  for (let written = 1; written < events; written += writers) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(writers, events - written) }, () => service.call('PATCH', `${api}/profiles/${id}`, { traits: { visits: 1 } }, auth)),
    );
    for (const res of batch) positions.push(Number(res.headers['cds-log-position']));
  }
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const position = positions[Math.floor((i / rounds) * positions.length)];
    const start = process.hrtime.bigint();
    const res = await service.call('GET', `${api}/profiles/${id}?as_of=${position}`, undefined, auth);
    samples.push(elapsedMs(start));
    if (res.status !== 200) throw new Error(`as_of answered ${res.status}`);
  }
  return { stream_events: events, ...summarize(samples) };
}
