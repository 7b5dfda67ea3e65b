import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { BenchContext, BenchFlags, BenchModule } from './bench-module';
import { encryptionCost } from './encryption-cost';
import { foldCeiling } from './fold-ceiling';
import { httpFlows, patchLoad } from './http-load';
import { kafkaIngest } from './kafka-ingest';
import { logEngines } from './log-engines';
import { log, machineLoad, round } from './measure';
import { realisticLog } from './realistic-log';
import { scaleOut } from './scale-out';
import { embeddedRebuild, mongoProjection } from './rebuild';
import { serviceMemory } from './service-memory';
import { startUp } from './startup';
import { Target, verdict } from './targets';
import { unification } from './unification';

/**
 * Every benchmark, in the order they run. HTTP first: writing the big log leaves the disk busy
 * flushing. The realistic log comes before everything that reads it.
 */
const MODULES: BenchModule[] = [
  patchLoad,
  httpFlows,
  kafkaIngest,
  serviceMemory,
  realisticLog,
  foldCeiling,
  embeddedRebuild,
  encryptionCost,
  startUp,
  unification,
  mongoProjection,
  scaleOut,
  logEngines,
];

const FLAGS: Record<string, keyof BenchFlags> = {
  '--events': 'events',
  '--tenants': 'tenants',
  '--mongo-events': 'mongoEvents',
  '--naive-events': 'naiveEvents',
  '--patch-seconds': 'patchSeconds',
  '--rounds': 'rounds',
  '--kafka-messages': 'kafkaMessages',
  '--service-profiles': 'serviceProfiles',
  '--engine-events': 'engineEvents',
};

function parseArgs(argv: string[]): { flags: BenchFlags; out: string; only: string[] } {
  const flags: BenchFlags = { events: 1_000_000, tenants: 20, mongoEvents: 200_000, naiveEvents: 5_000, patchSeconds: 10, rounds: 3, kafkaMessages: 50_000, serviceProfiles: 100_000, engineEvents: 200_000 };
  let out = join(__dirname, '../../../bench/results.json');
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--quick') {
      Object.assign(flags, { events: 100_000, mongoEvents: 50_000, naiveEvents: 2_000, patchSeconds: 5, rounds: 2, kafkaMessages: 10_000, serviceProfiles: 20_000, engineEvents: 50_000 });
    } else if (name === '--cpu-prof') {
      // Read by profiling.ts when it starts child processes.
    } else if (name === '--out' || name === '--only') {
      if (name === '--out') out = value;
      else only.push(...value.split(','));
      i++;
    } else if (FLAGS[name]) {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number`);
      flags[FLAGS[name]] = n;
      i++;
    } else {
      throw new Error(`unknown flag ${name} (${[...Object.keys(FLAGS).map((f) => `${f} N`), '--quick', '--cpu-prof', '--only a,b', '--out FILE'].join(' ')})`);
    }
  }
  return { flags, out, only };
}

async function main(): Promise<void> {
  const { flags, out, only } = parseArgs(process.argv.slice(2));
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gib: round(totalmem() / 2 ** 30, 1), node: process.version, platform: process.platform },
    flags,
    started_at: new Date().toISOString(),
    load_at_start: machineLoad(),
  };
  const context: BenchContext = {
    flags,
    servers: { kafkaBrokers: process.env.CDS_TEST_KAFKA_BROKERS, mongoUrl: process.env.CDS_TEST_MONGO_URL, esdbUrl: process.env.CDS_TEST_ESDB_URL },
    scratch: mkdtempSync(join(tmpdir(), 'cds-bench-')),
    results,
  };
  const targets: Target[] = [];
  try {
    for (const module of MODULES) {
      // --only runs some modules; the log is written whenever one of them needs it.
      if (only.length > 0 && !only.includes(module.name) && module !== realisticLog) continue;
      try {
        const figures = await module.run(context);
        results[module.name] = figures;
        targets.push(...(module.targets?.(figures, context) ?? []));
      } catch (error) {
        // One failed measure is reported; the others still run.
        results[`${module.name}_error`] = String((error as Error)?.stack ?? error).slice(0, 800);
        log(`${module.name} failed: ${String(error).slice(0, 300)}`);
      }
    }
  } finally {
    rmSync(context.scratch, { recursive: true, force: true });
  }
  results.load_at_end = machineLoad();
  results.targets = targets.map(verdict);
  results.finished_at = new Date().toISOString();
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results.targets as ReturnType<typeof verdict>[]);
  log(`figures written to ${out}`);
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
