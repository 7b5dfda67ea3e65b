/**
 * What sealing personal data costs a rebuild. The realistic log is copied with every profile
 * event's personal fields sealed, as the service stores them (a `SealingEventStore` over a new
 * log, subject keys in a `FileKeyStore`, a master key file), one append per event in the log's
 * order. Then the embedded rebuild (`rebuildReadModel` in a child process, as `cds rebuild` runs
 * it) of the clear log and of the sealed copy take turns, `ROUNDS` each; the cost is how much
 * lower the sealed rebuild's rate is, in wall-clock and in CPU time, each side by its best round
 * (the one least slowed by whatever else the machine ran). Both must give the same read model
 * (digests compared).
 *
 * Run alone: `node dist/bench/src/encryption.js [--events N]` (a log of N events is generated).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileEventStore, FileKeyStore, loadOrCreateMasterKeyFile, MASTER_KEY_FILE } from '@cds/adapters-embedded';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  masterKeys,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  SealingEventStore,
  SubjectKeys,
  SubscribeOptions,
} from '@cds/application';
import { generateLog } from './generate-log';
import { elapsedMs, log, round } from './measure';
import { measureRebuild, RebuildFigures } from './rebuild';

export interface EncryptionResult {
  events: number;
  /** Writing the sealed copy: sealing and appending each event. */
  seal_us_per_event: number;
  clear: RebuildFigures[];
  sealed: RebuildFigures[];
  clear_events_per_s: number;
  sealed_events_per_s: number;
  /** How much lower the sealed rebuild's rate is (best rounds). */
  cost_pct: number;
  /** How much more CPU time the sealed rebuild takes, as a share of its own (best rounds). */
  cpu_cost_pct: number;
  same_read_model: boolean;
}

const ROUNDS = 2;
const PAGE = 5000;

/** `logDirectory` holds the clear log; the sealed copy goes under `scratch` and is removed after. */
export async function measureEncryption(logDirectory: string, scratch: string, batchSize = 1000): Promise<EncryptionResult> {
  const sealedDataDir = mkdtempSync(join(scratch, 'sealed-'));
  try {
    log('copying the log with personal data sealed');
    const start = process.hrtime.bigint();
    const events = await writeSealedCopy(logDirectory, sealedDataDir);
    const sealUs = (elapsedMs(start) * 1000) / events;
    const clear: RebuildFigures[] = [];
    const sealed: RebuildFigures[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const digest = round === ROUNDS;
      log(`rebuilding the clear log and the sealed copy (round ${round} of ${ROUNDS})`);
      clear.push(await measureRebuild(logDirectory, 'embedded', batchSize, { digest, label: 'rebuild-clear' }));
      sealed.push(await measureRebuild(join(sealedDataDir, 'log'), 'embedded', batchSize, { digest, sealedDataDir, label: 'rebuild-sealed' }));
    }
    const rate = (runs: RebuildFigures[]) => Math.max(...runs.map((run) => run.events_per_s));
    const cpu = (runs: RebuildFigures[]) => Math.min(...runs.map((run) => run.cpu_seconds));
    return {
      events,
      seal_us_per_event: round(sealUs, 1),
      clear,
      sealed,
      clear_events_per_s: rate(clear),
      sealed_events_per_s: rate(sealed),
      cost_pct: round((1 - rate(sealed) / rate(clear)) * 100, 1),
      cpu_cost_pct: round((1 - cpu(clear) / cpu(sealed)) * 100, 1),
      same_read_model: clear.at(-1)?.digest !== undefined && clear.at(-1)?.digest === sealed.at(-1)?.digest,
    };
  } finally {
    rmSync(sealedDataDir, { recursive: true, force: true });
  }
}

/**
 * The clear log appended again through the sealing store, one append per event as the service
 * writes them, in the same order (so the rebuild's batches touch the same profiles as the clear
 * log's do). A page's appends are started together and reach the log in the page's order.
 */
export async function writeSealedCopy(logDirectory: string, dataDir: string): Promise<number> {
  const clear = await FileEventStore.open({ directory: logDirectory, fsync: false });
  mkdirSync(join(dataDir, 'keys'), { recursive: true });
  const keyStore = await FileKeyStore.open({ directory: join(dataDir, 'keys'), fsync: false });
  const keys = new SubjectKeys(keyStore, masterKeys(await loadOrCreateMasterKeyFile(join(dataDir, MASTER_KEY_FILE))));
  const ordered = new InGivenOrder(await FileEventStore.open({ directory: join(dataDir, 'log'), fsync: false }));
  const sealing = new SealingEventStore(ordered, keys, keyStore);
  let events = 0;
  try {
    let after: number | undefined;
    for (;;) {
      const page = await clear.readAll({ after, maxCount: PAGE });
      if (page.length === 0) return events;
      after = page[page.length - 1].position;
      ordered.expect(page.map((event) => event.id));
      await Promise.all(page.map(({ streamId, id, type, data, metadata }) => sealing.append(streamId, [{ id, type, data, metadata }], 'any')));
      events += page.length;
    }
  } finally {
    await sealing.close();
    await clear.close();
  }
}

/** A log whose single-event appends are handed on in the order of the ids it expects, whatever order they arrive in. */
class InGivenOrder implements EventStore {
  private order: string[] = [];
  private next = 0;
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly log: EventStore) {}

  expect(ids: string[]): void {
    this.order = ids;
    this.next = 0;
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const id = events[0].id;
    if (this.order[this.next] !== id) await new Promise<void>((resolve) => this.waiting.set(id, resolve));
    const appended = this.log.append(streamId, events, expected);
    const following = this.order[++this.next];
    this.waiting.get(following)?.();
    this.waiting.delete(following);
    return appended;
  }

  readStream = (streamId: string, options?: ReadStreamOptions) => this.log.readStream(streamId, options);
  readAll = (options: ReadAllOptions) => this.log.readAll(options);
  subscribeToAll = (options?: SubscribeOptions) => this.log.subscribeToAll(options);
  headPosition = () => this.log.headPosition();
  close = () => this.log.close();
}

async function main(): Promise<void> {
  const index = process.argv.indexOf('--events');
  const target = index === -1 ? 1_000_000 : Number(process.argv[index + 1]);
  const scratch = mkdtempSync(join(tmpdir(), 'cds-bench-encryption-'));
  try {
    const directory = join(scratch, 'clear');
    const store = await FileEventStore.open({ directory, fsync: false });
    const tenants = 20;
    log(`generating a log of about ${target} events`);
    await generateLog(store, { tenants, people: Math.max(1, Math.round(target / (12.4 * tenants))), writesPerDevice: 4, signInShare: 0.6, seed: 42 });
    await store.close();
    process.stdout.write(`${JSON.stringify(await measureEncryption(directory, scratch), null, 2)}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
