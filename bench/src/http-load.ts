import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchModule } from './bench-module';
import { elapsedMs, log, median, processMemory, round, summarize } from './measure';
import { BenchService, bearer, startService } from './service';
import { runWrkOnProcess, scriptPath, WrkResult, writeWrkScript } from './wrk';

const ORG = 'bench-http';

type RoundResult = WrkResult & { cpu_us_per_request: number };
const API = `/t/${ORG}/cds/api/v1`;
const CONNECTIONS = 32;

async function prepare(service: BenchService, profiles: number) {
  const auth = await bearer(service, ORG);
  await service.call('POST', `${API}/profile-schema/traits`, [
    { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
    { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 20 },
  ], auth);
  const ids: string[] = [];
  for (let i = 0; i < profiles; i++) ids.push((await service.call('POST', `${API}/profiles`, {}, auth)).body.profile_id);
  return { auth, ids };
}

/** The service's longest event-loop stall since the previous look (prom-client resets it on every scrape). */
export async function longestStallMs(service: BenchService): Promise<number> {
  const metrics = String((await service.call('GET', '/metrics')).body);
  return round(Number(/^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(metrics)?.[1] ?? NaN) * 1000, 1);
}

async function startBareFastify(port: number, bodyFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'bare-fastify.js'), String(port), bodyFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false);
    if (up) return child;
    if (Date.now() > deadline) throw new Error('the bare Fastify server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * PATCH with 32 connections against the service as `npm start` runs it (durable log with fsync,
 * 1000 profiles, `sum` and `combine` attributes) and against Fastify alone answering the same
 * JSON, with the same wrk client, in alternating rounds, so both meet the same machine.
 */
export const patchLoad: BenchModule = {
  name: 'patch',
  async run(context) {
    const service = await startService({ name: 'service-patch' });
    let bare: ChildProcess | undefined;
    try {
      const { auth, ids } = await prepare(service, 1000);
      const body = JSON.stringify({ traits: { visits: 1, pages: ['/p7'] } });
      const sample = await service.call('PATCH', `${API}/profiles/${ids[0]}`, body, auth);
      const bodyFile = join(context.scratch, 'patch-response.json');
      writeFileSync(bodyFile, JSON.stringify(sample.body));
      const barePort = service.port + 1;
      bare = await startBareFastify(barePort, bodyFile);
      const script = writeWrkScript(scriptPath(context.scratch, 'patch'), {
        method: 'PATCH',
        path: `${API}/profiles/{id}`,
        ids,
        headers: { 'content-type': 'application/json', ...auth },
        body,
      });
      const rounds: Array<{ service: RoundResult; bare: RoundResult; service_stall_ms: number }> = [];
      for (let r = 0; r < context.flags.rounds; r++) {
        log(`PATCH round ${r + 1}/${context.flags.rounds}: service, then bare Fastify, ${context.flags.patchSeconds} s each`);
        await longestStallMs(service);
        const onService = await runWrkOnProcess(service.url, service.pid, { connections: CONNECTIONS, seconds: context.flags.patchSeconds, script });
        const stall = await longestStallMs(service);
        const onBare = await runWrkOnProcess(`http://127.0.0.1:${barePort}`, bare.pid!, { connections: CONNECTIONS, seconds: context.flags.patchSeconds, script });
        rounds.push({ service: onService, bare: onBare, service_stall_ms: stall });
      }
      const serviceRate = median(rounds.map((r) => r.service.req_per_s));
      const bareRate = median(rounds.map((r) => r.bare.req_per_s));
      return {
        connections: CONNECTIONS,
        rounds,
        service_req_per_s: serviceRate,
        bare_req_per_s: bareRate,
        ratio_percent: round((serviceRate / bareRate) * 100, 1),
        service_p99_ms: median(rounds.map((r) => r.service.p99_ms)),
        // Steadier than req/s on a shared machine: what one request costs each process.
        service_cpu_us_per_request: median(rounds.map((r) => r.service.cpu_us_per_request)),
        bare_cpu_us_per_request: median(rounds.map((r) => r.bare.cpu_us_per_request)),
        service_errors: rounds.reduce((sum, r) => sum + r.service.non_2xx + r.service.socket_errors, 0),
        longest_stall_ms: Math.max(...rounds.map((r) => r.service_stall_ms)),
        service_rss_mib: processMemory(service.pid).rss_mib,
      };
    } finally {
      bare?.kill();
      await service.stop();
    }
  },
  targets: (figures) => [
    { name: 'PATCH vs bare Fastify (32 connections)', measured: figures.ratio_percent as number, target: 50, better: 'higher', unit: '%' },
    { name: 'PATCH p99 (32 connections)', measured: figures.service_p99_ms as number, target: 15, better: 'lower', unit: 'ms' },
  ],
};

/** From the sign-in of a second device to the permanent profile readable with both devices merged. */
async function measureSignInToMerged(service: BenchService, rounds: number) {
  const auth = await bearer(service, ORG);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const a = (await service.call('POST', `${API}/profiles`, { traits: { visits: 1 } }, auth)).body;
    const b = (await service.call('POST', `${API}/profiles`, { traits: { visits: 1 } }, auth)).body;
    await service.call('POST', `${API}/profiles/sync`, { user_id: `bench-user-${i}`, anonymous_profile_tracker: a.anonymous_profile_tracker }, auth);
    const start = process.hrtime.bigint();
    const signIn = await service.call('POST', `${API}/profiles/sync`, { user_id: `bench-user-${i}`, anonymous_profile_tracker: b.anonymous_profile_tracker }, auth);
    const position = signIn.headers['cds-log-position'];
    const read = await service.call('GET', `${API}/profiles/${a.profile_id}?wait_for_position=${position}`, undefined, auth);
    samples.push(elapsedMs(start));
    if (read.body.merged_from?.[0]?.profile_id !== b.profile_id) throw new Error('sign-in did not merge the second device');
  }
  return summarize(samples);
}

/**
 * `GET /profiles/{id}?as_of=<position>` on a profile with `events` events in its stream, asked by a
 * service started afresh on the log: nothing of the writes is in its memory, as for a profile
 * whose history was written long ago (its code is warmed on another profile first). `rounds`
 * points from the first write to the last, in order; then, on another fresh start, the last point
 * alone: the whole stream folded cold.
 */
async function measureAsOf(dataDir: string, events: number, rounds: number) {
  const warmUp = await writeProfile(dataDir, 600);
  const measured = await writeProfile(dataDir, events);
  const points = Array.from({ length: rounds }, (_, i) => measured.positions[Math.floor((i / rounds) * measured.positions.length)]);
  const samples = await askAsOf(dataDir, warmUp, measured.id, points);
  const [wholeStreamCold] = await askAsOf(dataDir, warmUp, measured.id, [measured.positions[measured.positions.length - 1]]);
  return { stream_events: events, ...summarize(samples), whole_stream_cold_ms: round(wholeStreamCold) };
}

interface WrittenProfile {
  id: string;
  /** The log position of each write. */
  positions: number[];
}

/** How long each `as_of` read of `id` takes, asked in order of a service started for them. */
async function askAsOf(dataDir: string, warmUp: WrittenProfile, id: string, positions: number[]): Promise<number[]> {
  const service = await startService({ name: 'service-as-of', dataDir });
  try {
    const auth = await bearer(service, ORG);
    const asOf = (profile: string, position: number) => service.call('GET', `${API}/profiles/${profile}?as_of=${position}`, undefined, auth);
    for (const position of warmUp.positions.filter((_, i) => i % 20 === 19)) await asOf(warmUp.id, position);
    const samples: number[] = [];
    for (const position of positions) {
      const start = process.hrtime.bigint();
      const res = await asOf(id, position);
      samples.push(elapsedMs(start));
      if (res.status !== 200) throw new Error(`as_of answered ${res.status}`);
    }
    return samples;
  } finally {
    await service.stop();
  }
}

/** A profile with `events` events, written by a service that is stopped afterwards. */
async function writeProfile(dataDir: string, events: number): Promise<WrittenProfile> {
  const service = await startService({ name: 'service-as-of-writes', dataDir });
  try {
    const auth = await bearer(service, ORG);
    await service.call('POST', `${API}/profile-schema/traits`, { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }, auth);
    const { profile_id: id } = (await service.call('POST', `${API}/profiles`, {}, auth)).body;
    const positions: number[] = [];
    const writers = 16;
    for (let written = 1; written < events; written += writers) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(writers, events - written) }, () => service.call('PATCH', `${API}/profiles/${id}`, { traits: { visits: 1 } }, auth)),
      );
      for (const res of batch) positions.push(Number(res.headers['cds-log-position']));
    }
    return { id, positions };
  } finally {
    await service.stop();
  }
}

/** Two user-facing latencies: a sign-in merging a second device until readable, and as_of on a long stream. */
export const httpFlows: BenchModule = {
  name: 'http_flows',
  async run(context) {
    const service = await startService({ name: 'service-flows' });
    let signIn;
    try {
      log('sign-in → merged profile readable, 200 rounds');
      signIn = await measureSignInToMerged(service, 200);
    } finally {
      await service.stop();
    }
    log('as_of on a profile with 10k events');
    const dataDir = mkdtempSync(join(context.scratch, 'as-of-'));
    return { sign_in_to_merged: signIn, as_of: await measureAsOf(dataDir, 10_000, 100) };
  },
  targets: (figures) => [
    { name: 'sign-in → merged readable p99', measured: (figures.sign_in_to_merged as { p99_ms: number }).p99_ms, target: 100, better: 'lower', unit: 'ms' },
    { name: 'as_of on a 10k-event profile p99', measured: (figures.as_of as { p99_ms: number }).p99_ms, target: 50, better: 'lower', unit: 'ms' },
  ],
};
