/**
 * Real Apache Kafka (KRaft, one combined broker+controller node) from Maven Central jars.
 * Data and logs live in a fresh temp folder that is deleted on stop.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { TEST_SERVER_ENV } from './env';
import { classpath, ensureLauncher, TEST_JVM_OPTIONS } from './java';
import { progress, secondsSince } from './log';
import { ensureJars } from './maven';
import { freePort, run, stopChild, tailOfFile, waitUntil } from './processes';
import { once, type RunningServer } from './server';
import { makeTempDir } from './temp-dirs';

export const KAFKA_VERSION = '3.9.1';
const ARTIFACTS = [
  `org.apache.kafka:kafka_2.13:${KAFKA_VERSION}`,
  'org.slf4j:slf4j-reload4j:1.7.36',
  'ch.qos.reload4j:reload4j:1.2.25',
];
const READY_TIMEOUT_MS = 90_000;
/** Time allowed for a controlled shutdown before the broker is killed (its data is thrown away anyway). */
const STOP_GRACE_MS = 5_000;

export interface KafkaInstall {
  readonly classpath: string;
}

export async function installKafka(signal?: AbortSignal): Promise<KafkaInstall> {
  const lib = await ensureJars(`kafka-${KAFKA_VERSION}`, ARTIFACTS, signal);
  return { classpath: classpath(await ensureLauncher('ExitOnStdinClose', lib), lib) };
}

export async function startKafka(install: KafkaInstall, signal?: AbortSignal): Promise<RunningKafka> {
  const startedAt = Date.now();
  const dir = makeTempDir('kafka');
  const brokerPort = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === brokerPort) controllerPort = await freePort();

  const properties = join(dir, 'server.properties');
  const log4j = join(dir, 'log4j.properties');
  const logFile = join(dir, 'kafka.log');
  const outFile = join(dir, 'kafka.out');
  writeFileSync(properties, serverProperties(join(dir, 'data'), brokerPort, controllerPort));
  writeFileSync(log4j, log4jProperties(logFile));
  const jvm = [...TEST_JVM_OPTIONS, '-Xmx512m', `-Dlog4j.configuration=file:${log4j}`, '-cp', install.classpath];

  const failure = () => [tailOfFile(logFile), tailOfFile(outFile)].join('\n');
  try {
    // With a static voter list (controller.quorum.voters) a plain format is all KRaft needs;
    // --standalone is only for the dynamic-quorum style (controller.quorum.bootstrap.servers).
    await run('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', properties], { signal });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const spawnBroker = () => {
    const out = openSync(outFile, 'a');
    const broker = spawn('java', [...jvm, 'ExitOnStdinClose', 'kafka.Kafka', properties], {
      stdio: ['pipe', out, out],
      signal,
    });
    broker.on('error', () => undefined); // reported through its exit code by waitUntil
    closeSync(out);
    return broker;
  };
  let child = spawnBroker();
  const stop = once(async () => {
    await stopChild(child, STOP_GRACE_MS);
    rmSync(dir, { recursive: true, force: true });
  });

  const brokers = `127.0.0.1:${brokerPort}`;
  const ready = () =>
    waitUntil(`kafka on ${brokers}`, () => probe(brokers), {
      timeoutMs: READY_TIMEOUT_MS,
      child,
      signal,
      describeFailure: failure,
    });
  try {
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }
  progress(`kafka up on ${brokers} in ${secondsSince(startedAt)}`);
  const restart = async (options: { downMs?: number; kill?: boolean } = {}) => {
    if (options.kill) child.kill('SIGKILL');
    await stopChild(child, STOP_GRACE_MS);
    await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 0));
    child = spawnBroker();
    await ready();
  };
  return { name: 'kafka', env: { [TEST_SERVER_ENV.kafkaBrokers]: brokers }, brokers, stop, restart };
}

export interface RunningKafka extends RunningServer {
  readonly brokers: string;
  /**
   * Stops the broker (a controlled shutdown, or SIGKILL with `kill`), waits `downMs`, and starts
   * it again on the same ports with the same data; resolves once it serves again.
   */
  restart(options?: { downMs?: number; kill?: boolean }): Promise<void>;
}

/**
 * Ready means: the cluster answers describeCluster, and a group coordinator exists. Asking for
 * one makes the broker create __consumer_offsets now, so the first consumer group of a test
 * does not start with "group coordinator not available" retries.
 */
async function probe(brokers: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'test-servers-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    await admin.describeGroups(['test-servers-probe']);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * A cluster id as `kafka-storage random-uuid` makes it: 16 random bytes, base64url without
 * padding, never starting with "-" (which would read as a command-line flag). Generated here to
 * save one JVM start.
 */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(dataDir: string, brokerPort: number, controllerPort: number): string {
  return `# Generated by infra/test-servers for a throw-away single-node test cluster.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dataDir}
num.partitions=1
auto.create.topics.enable=true
offsets.topic.num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Few threads and a small cleaner buffer: a 2-core CI machine runs this next to the tests.
num.network.threads=2
num.io.threads=2
background.threads=2
log.cleaner.dedupe.buffer.size=4194304
`;
}

function log4jProperties(logFile: string): string {
  return `# Only warnings and errors, into a file: the test output stays readable.
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${logFile}
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
`;
}
