/**
 * What sealing personal data costs: every profile event's payload sealed with its subject's key
 * (AES-256-GCM) and opened again while folding, against the same fold of clear payloads.
 *
 * One pass over the log, page by page (reading is not timed). For each page:
 * - clear fold: parse the payload JSON, decode, evolve;
 * - seal: `SubjectKeys.seal` of each payload (keys created before, not timed);
 * - sealed fold: load the page's keys (`openerFor`), open each payload (base64, decipher, check
 *   the tag, parse the JSON), decode, evolve.
 * Both folds parse the payload, so their difference is the encryption alone. The key store is in
 * memory: a rebuild loads keys in pages of a thousand subjects, so the store's own cost is small.
 * Then the first 200k events again, held in memory, with a third fold whose payloads are opened
 * on a worker thread one page ahead (`PayloadOpeningPool`): what offloading buys on two cores.
 *
 * Run alone: `node dist/bench/src/encryption.js [--events N]` (a log of N events is generated).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileEventStore } from '@cds/adapters-embedded';
import {
  decodeProfileEvent,
  documentKey,
  EventStore,
  generateMasterKey,
  InMemoryKeyStore,
  masterKeys,
  PayloadOpeningPool,
  profileRefOf,
  RecordedEvent,
  SealedItem,
  SubjectKeys,
} from '@cds/application';
import { evolveProfile, initialProfileState, ProfileState } from '@cds/domain';
import { generateLog } from './generate-log';
import { elapsedMs, log, round } from './measure';

export interface EncryptionResult {
  events: number;
  subjects: number;
  clear_fold_events_per_s: number;
  sealed_fold_events_per_s: number;
  /** How much slower the sealed fold is. */
  fold_cost_pct: number;
  /** The same in CPU time. */
  fold_cost_cpu_pct: number;
  /** Added by opening, per event: the sealed fold's time less the clear fold's. */
  open_us_per_event: number;
  open_cpu_us_per_event: number;
  /** Keys the sealed fold had to read from the store and unwrap (the cache holds 50 000). */
  key_loads: number;
  seal_us_per_event: number;
  /** JSON.stringify of the payload alone, which a clear write pays too. */
  stringify_us_per_event: number;
  /** What `open_us_per_event` would cost a rebuild running at these rates. */
  rebuild_cost_pct_at: Record<string, number>;
  /** The same folds on the first events held in memory, with opening handed to a worker thread. */
  offloaded: OffloadedResult;
}

export interface OffloadedResult {
  events: number;
  clear_fold_events_per_s: number;
  inline_sealed_fold_events_per_s: number;
  /** The next page opened on a worker thread while this one is folded. */
  offloaded_sealed_fold_events_per_s: number;
  inline_cost_pct: number;
  offloaded_cost_pct: number;
}

const PAGE = 5000;

export async function measureEncryption(
  store: EventStore,
  options: { rebuildRates?: number[]; offloadedEvents?: number } = {},
): Promise<EncryptionResult> {
  const rebuildRates = options.rebuildRates ?? [160_000, 500_000];
  const keyStore = new CountingKeyStore();
  const subjectKeys = new SubjectKeys(keyStore, masterKeys(generateMasterKey()));
  const clearStates = new Map<string, ProfileState>();
  const sealedStates = new Map<string, ProfileState>();
  const subjects = new Set<string>();
  const ms = { clear: 0, sealed: 0, seal: 0, stringify: 0 };
  // CPU time of the two folds too: unlike wall time, it holds up when other work shares the cores.
  const cpuUs = { clear: 0, sealed: 0 };
  let events = 0;
  let after: number | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    after = page[page.length - 1].position;
    const profileEvents = profileEventsOf(page);
    // Keys exist before their first event is sealed (profile creation makes them), not timed.
    for (const { tenant, subject, key } of profileEvents) {
      if (subjects.has(key)) continue;
      subjects.add(key);
      await subjectKeys.seal(tenant, subject, null);
    }

    let start = process.hrtime.bigint();
    const clearPayloads = profileEvents.map(({ recorded }) => JSON.stringify(recorded.data));
    ms.stringify += elapsedMs(start);

    start = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    profileEvents.forEach(({ recorded, key }, i) => fold(clearStates, key, recorded, JSON.parse(clearPayloads[i])));
    cpuUs.clear += cpuSince(cpu);
    ms.clear += elapsedMs(start);

    start = process.hrtime.bigint();
    const sealed: string[] = [];
    for (const { recorded, tenant, subject } of profileEvents) sealed.push(await subjectKeys.seal(tenant, subject, recorded.data));
    ms.seal += elapsedMs(start);

    start = process.hrtime.bigint();
    cpu = process.cpuUsage();
    const opener = await subjectKeys.openerFor(profileEvents);
    profileEvents.forEach(({ recorded, tenant, subject, key }, i) => {
      const opened = opener.open(tenant, subject, sealed[i]);
      if (opened.status === 'open') fold(sealedStates, key, recorded, opened.value);
    });
    cpuUs.sealed += cpuSince(cpu);
    ms.sealed += elapsedMs(start);
    events += profileEvents.length;
  }
  assertSameFold(clearStates, sealedStates);
  const perEventUs = (total: number) => round((total * 1000) / events, 3);
  // Seconds each event's opening adds.
  const openSeconds = (ms.sealed - ms.clear) / 1000 / events;
  return {
    events,
    subjects: subjects.size,
    clear_fold_events_per_s: Math.round(events / (ms.clear / 1000)),
    sealed_fold_events_per_s: Math.round(events / (ms.sealed / 1000)),
    fold_cost_pct: round((1 - ms.clear / ms.sealed) * 100, 1),
    fold_cost_cpu_pct: round((1 - cpuUs.clear / cpuUs.sealed) * 100, 1),
    open_us_per_event: round(openSeconds * 1e6, 3),
    open_cpu_us_per_event: round((cpuUs.sealed - cpuUs.clear) / events, 3),
    key_loads: keyStore.loads,
    seal_us_per_event: perEventUs(ms.seal),
    stringify_us_per_event: perEventUs(ms.stringify),
    rebuild_cost_pct_at: Object.fromEntries(rebuildRates.map((rate) => [String(rate), costPct(rate, openSeconds)])),
    offloaded: await measureOffloaded(store, subjectKeys, options.offloadedEvents ?? 200_000),
  };
}

/** Counts the keys read from the store: each one costs an unwrap. */
class CountingKeyStore extends InMemoryKeyStore {
  loads = 0;

  override async getMany(tenant: string, subjects: readonly string[]) {
    this.loads += subjects.length;
    return super.getMany(tenant, subjects);
  }
}

const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return used.user + used.system;
};

interface ProfileEventRef {
  recorded: RecordedEvent;
  tenant: string;
  subject: string;
  key: string;
}

function profileEventsOf(page: RecordedEvent[]): ProfileEventRef[] {
  return page.flatMap((recorded) => {
    const ref = profileRefOf(recorded);
    return ref ? [{ recorded, tenant: ref.tenant, subject: ref.profileId, key: documentKey(ref) }] : [];
  });
}

/**
 * The first `limit` events, sealed and held in memory, folded three ways: clear, opened inline,
 * and opened by a worker thread one page ahead of the fold (a `PayloadOpeningPool`).
 */
async function measureOffloaded(store: EventStore, subjectKeys: SubjectKeys, limit: number): Promise<OffloadedResult> {
  const pages: Array<{ events: ProfileEventRef[]; clear: string[]; sealed: SealedItem[] }> = [];
  let events = 0;
  let after: number | undefined;
  while (events < limit) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    after = page[page.length - 1].position;
    const profileEvents = profileEventsOf(page);
    const sealed: SealedItem[] = [];
    for (const { recorded, tenant, subject } of profileEvents) sealed.push({ tenant, subject, sealed: await subjectKeys.seal(tenant, subject, recorded.data) });
    pages.push({ events: profileEvents, clear: profileEvents.map(({ recorded }) => JSON.stringify(recorded.data)), sealed });
    events += profileEvents.length;
  }

  let start = process.hrtime.bigint();
  const clearStates = new Map<string, ProfileState>();
  for (const page of pages) page.events.forEach(({ recorded, key }, i) => fold(clearStates, key, recorded, JSON.parse(page.clear[i])));
  const clearMs = elapsedMs(start);

  start = process.hrtime.bigint();
  const inlineStates = new Map<string, ProfileState>();
  for (const page of pages) {
    const opener = await subjectKeys.openerFor(page.sealed);
    page.events.forEach(({ recorded, key }, i) => {
      const opened = opener.open(page.sealed[i].tenant, page.sealed[i].subject, page.sealed[i].sealed);
      if (opened.status === 'open') fold(inlineStates, key, recorded, opened.value);
    });
  }
  const inlineMs = elapsedMs(start);

  const pool = new PayloadOpeningPool(subjectKeys);
  const offloadedStates = new Map<string, ProfileState>();
  start = process.hrtime.bigint();
  try {
    let next = pages.length > 0 ? pool.openAll(pages[0].sealed) : null;
    for (let p = 0; p < pages.length && next; p++) {
      const opened = await next;
      next = p + 1 < pages.length ? pool.openAll(pages[p + 1].sealed) : null;
      pages[p].events.forEach(({ recorded, key }, i) => {
        const result = opened[i];
        if (result.status === 'open') fold(offloadedStates, key, recorded, result.value);
        else if (result.status === 'unreadable') throw new Error(`unreadable payload: ${result.reason}`);
      });
    }
  } finally {
    await pool.close();
  }
  const offloadedMs = elapsedMs(start);
  assertSameFold(clearStates, inlineStates);
  assertSameFold(clearStates, offloadedStates);
  const rate = (ms: number) => Math.round(events / (ms / 1000));
  return {
    events,
    clear_fold_events_per_s: rate(clearMs),
    inline_sealed_fold_events_per_s: rate(inlineMs),
    offloaded_sealed_fold_events_per_s: rate(offloadedMs),
    inline_cost_pct: round((1 - clearMs / inlineMs) * 100, 1),
    offloaded_cost_pct: round((1 - clearMs / offloadedMs) * 100, 1),
  };
}

/** How much slower a rebuild running at `eventsPerSecond` gets when each event costs `open_us_per_event` more. */
export const projectedCostPct = (result: EncryptionResult, eventsPerSecond: number) =>
  costPct(eventsPerSecond, result.open_us_per_event / 1e6);

const costPct = (eventsPerSecond: number, addedSeconds: number) =>
  round(((eventsPerSecond * addedSeconds) / (1 + eventsPerSecond * addedSeconds)) * 100, 1);

function fold(states: Map<string, ProfileState>, key: string, recorded: RecordedEvent, data: unknown): void {
  const profileId = key.slice(key.indexOf('/') + 1);
  states.set(key, evolveProfile(states.get(key) ?? initialProfileState(profileId), decodeProfileEvent({ ...recorded, data })));
}

/** Sealing must change nothing but the bytes: both folds end in the same profiles. */
function assertSameFold(clear: Map<string, ProfileState>, sealed: Map<string, ProfileState>): void {
  if (clear.size !== sealed.size) throw new Error(`sealed fold has ${sealed.size} profiles, clear ${clear.size}`);
  for (const [key, state] of clear) {
    if (JSON.stringify(state) !== JSON.stringify(sealed.get(key))) throw new Error(`sealed fold differs for ${key}`);
  }
}

async function main(): Promise<void> {
  const index = process.argv.indexOf('--events');
  const target = index === -1 ? 1_000_000 : Number(process.argv[index + 1]);
  const directory = mkdtempSync(join(tmpdir(), 'cds-bench-encryption-'));
  try {
    const store = await FileEventStore.open({ directory, fsync: false });
    const tenants = 20;
    log(`generating a log of about ${target} events`);
    await generateLog(store, { tenants, people: Math.max(1, Math.round(target / (12.4 * tenants))), writesPerDevice: 4, signInShare: 0.6, seed: 42 });
    log('sealing and folding');
    process.stdout.write(`${JSON.stringify(await measureEncryption(store), null, 2)}\n`);
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
