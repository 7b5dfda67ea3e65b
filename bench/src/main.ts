import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { FileEventStore } from '@cds/adapters-embedded';
import { EncryptionResult, measureEncryption, projectedCostPct } from './encryption';
import { measureFoldRate } from './fold-rate';
import { generateLog } from './generate-log';
import { measureKafkaIngest } from './kafka-ingest';
import { log, round } from './measure';
import { measureAsOf, measurePatchLoad, measureSignInToMerged } from './http-load';
import { measureRebuild } from './rebuild';
import { measureScaleOut, ScaleOutFigures, scaleOutTargets } from './scale-out';
import { startService } from './service';
import { Target, verdict } from './targets';

interface Flags {
  events: number;
  tenants: number;
  naiveEvents: number;
  mongoEvents: number;
  patchSeconds: number;
  kafkaMessages: number;
  out: string;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { events: 1_000_000, tenants: 20, naiveEvents: 5_000, mongoEvents: 200_000, patchSeconds: 10, kafkaMessages: 50_000, out: join(__dirname, '../../../bench/results.json') };
  for (let i = 0; i < argv.length; i++) {
    const [name, value] = [argv[i], argv[i + 1]];
    const number = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number`);
      i++;
      return n;
    };
    if (name === '--events') flags.events = number();
    else if (name === '--tenants') flags.tenants = number();
    else if (name === '--naive-events') flags.naiveEvents = number();
    else if (name === '--mongo-events') flags.mongoEvents = number();
    else if (name === '--patch-seconds') flags.patchSeconds = number();
    else if (name === '--kafka-messages') flags.kafkaMessages = number();
    else if (name === '--quick') Object.assign(flags, { events: 100_000, patchSeconds: 5, kafkaMessages: 10_000, naiveEvents: 2_000, mongoEvents: 50_000 });
    else if (name === '--out') {
      flags.out = value;
      i++;
    }
    else throw new Error(`unknown flag ${name} (--events N --tenants N --naive-events N --mongo-events N --patch-seconds N --kafka-messages N --quick --out FILE)`);
  }
  return flags;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gib: round(totalmem() / 2 ** 30, 1), node: process.version, platform: process.platform },
    // The output path is the caller's business, not a figure.
    flags: { ...flags, out: undefined },
    started_at: new Date().toISOString(),
  };
  const logDir = mkdtempSync(join(tmpdir(), 'cds-bench-log-'));
  try {
    // 1. HTTP on the embedded default, first: writing the big log leaves the disk busy flushing.
    log(`PATCH load, 32 connections, ${flags.patchSeconds} s`);
    const service = await startService();
    try {
      results.patch = await measurePatchLoad(service, 32, flags.patchSeconds);
      log('sign-in → merged profile readable');
      results.sign_in_to_merged = await measureSignInToMerged(service, 200);
      log('as_of on a profile with 10k events');
      results.as_of = await measureAsOf(service, 10_000, 100);
    } finally {
      await service.stop();
    }

    // 2. Kafka ingest, with a real broker.
    const brokers = process.env.CDS_TEST_KAFKA_BROKERS;
    if (brokers) {
      log(`Kafka ingest of ${flags.kafkaMessages} messages`);
      const topic = `bench-activity-${Date.now()}`;
      try {
        const kafkaService = await startService({ CDS_KAFKA_BROKERS: brokers, CDS_KAFKA_ACTIVITY_TOPIC: topic, CDS_KAFKA_GROUP_ID: `bench-${Date.now()}` });
        try {
          results.kafka_ingest = await measureKafkaIngest(kafkaService, brokers, topic, flags.kafkaMessages);
        } finally {
          await kafkaService.stop();
        }
      } catch (error) {
        results.kafka_ingest_error = String(error).slice(0, 500);
        log(`Kafka ingest failed: ${String(error).slice(0, 200)}`);
      }
    }

    // 3. A realistic log.
    log(`generating a log of about ${flags.events} events over ${flags.tenants} tenants`);
    const store = await FileEventStore.open({ directory: logDir, fsync: false });
    // About 12.4 events a person with this shape (devices, writes, sign-ins, merges).
    const people = Math.max(1, Math.round(flags.events / (12.4 * flags.tenants)));
    let lastReport = 0;
    const generated = await generateLog(store, { tenants: flags.tenants, people, writesPerDevice: 4, signInShare: 0.6, seed: 42 }, (n) => {
      if (n - lastReport >= 100_000) log(`  ${(lastReport = n)} events`);
    });
    results.log = { ...generated, tenants: generated.tenants.length };

    // 4. The fold ceiling.
    log('measuring the pure fold rate');
    const fold = await measureFoldRate(store);
    results.fold = fold;

    // 4b. Encryption of personal data: the same fold with sealed payloads (bench/src/encryption.ts).
    log('measuring the fold of sealed payloads against clear ones');
    results.encryption = await measureEncryption(store);
    await store.close();

    // 5. Rebuilds.
    log('rebuilding into the in-process read model');
    const embedded = await measureRebuild(logDir, 'embedded', 1000);
    results.rebuild_embedded = embedded;
    const mongoUrl = process.env.CDS_TEST_MONGO_URL;
    let batched = null;
    let naive = null;
    if (mongoUrl) try {
      // The wire server keeps everything in its JVM heap: its rebuilds fold the first part of the log.
      log(`rebuilding into the MongoDB wire server, batched (1000 events a write, first ${flags.mongoEvents} events)`);
      batched = await measureRebuild(logDir, 'mongo', 1000, { mongoUrl, limitEvents: flags.mongoEvents });
      log(`rebuilding into the MongoDB wire server, naive (one upsert per event, first ${flags.naiveEvents} events)`);
      naive = await measureRebuild(logDir, 'mongo', 1, { mongoUrl, limitEvents: flags.naiveEvents });
    } catch (error) {
      // One failed measure is reported; the others still run.
      results.rebuild_mongo_error = String(error).slice(0, 500);
      log(`MongoDB rebuild failed: ${String(error).slice(0, 200)}`);
    }
    results.rebuild_mongo_batched = batched;
    results.rebuild_mongo_naive = naive;

    // 6. Scale-out on the real stack: its own module (bench/src/scale-out.ts), its own figures.
    let scaleOut: ScaleOutFigures | null = null;
    const esdbUrl = process.env.CDS_TEST_ESDB_URL;
    if (esdbUrl && mongoUrl) try {
      const quick = flags.events < 1_000_000;
      scaleOut = await measureScaleOut({ esdbUrl, mongoUrl, events: quick ? 20_000 : 100_000, takeoverRounds: quick ? 5 : 20, writeSeconds: quick ? 5 : 10 });
      results.scale_out = scaleOut;
    } catch (error) {
      results.scale_out_error = String(error).slice(0, 500);
      log(`scale-out failed: ${String(error).slice(0, 200)}`);
    }

    const patch = results.patch as { req_per_s: number; p99_ms: number };
    const targets: Target[] = [
      { name: 'embedded rebuild', measured: embedded.events_per_s, target: 300_000, better: 'higher', unit: 'events/s' },
      { name: 'embedded rebuild vs fold ceiling', measured: round((embedded.events_per_s / fold.events_per_s) * 100, 1), target: 30, better: 'higher', unit: '%' },
      { name: 'batched vs naive MongoDB rebuild', measured: batched && naive ? round(batched.events_per_s / naive.events_per_s, 1) : null, target: 10, better: 'higher', unit: '×' },
      { name: 'rebuild peak RSS', measured: embedded.max_rss_mib, target: 512, better: 'lower', unit: 'MiB' },
      { name: 'PATCH throughput (32 connections)', measured: patch.req_per_s, target: 5000, better: 'higher', unit: 'req/s' },
      { name: 'PATCH p99', measured: patch.p99_ms, target: 20, better: 'lower', unit: 'ms' },
      { name: 'sign-in → merged readable p99', measured: (results.sign_in_to_merged as { p99_ms: number }).p99_ms, target: 100, better: 'lower', unit: 'ms' },
      { name: 'as_of on a 10k-event profile p99', measured: (results.as_of as { p99_ms: number }).p99_ms, target: 50, better: 'lower', unit: 'ms' },
      { name: 'encryption cost on the embedded rebuild (projected)', measured: projectedCostPct(results.encryption as EncryptionResult, embedded.events_per_s), target: 15, better: 'lower', unit: '%' },
      { name: 'Kafka ingest', measured: (results.kafka_ingest as { events_per_s: number } | undefined)?.events_per_s ?? null, target: 20_000, better: 'higher', unit: 'events/s' },
      ...scaleOutTargets(scaleOut, batched?.events_per_s ?? null),
    ];
    results.targets = targets.map(verdict);
    results.finished_at = new Date().toISOString();
    writeFileSync(flags.out, `${JSON.stringify(results, null, 2)}\n`);
    printTable(results.targets as ReturnType<typeof verdict>[]);
    log(`figures written to ${flags.out}`);
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

function printTable(rows: ReturnType<typeof verdict>[]): void {
  const lines = [['measure', 'measured', 'target', 'met'], ...rows.map((r) => [r.name, `${r.measured ?? 'n/a'} ${r.unit}`, `${r.better === 'higher' ? '≥' : '≤'} ${r.target} ${r.unit}`, r.met ? 'yes' : `no (${r.ratio ?? '-'}×)`])];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  for (const line of lines) process.stdout.write(`${line.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
