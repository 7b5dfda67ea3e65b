/**
 * Installs what is missing and starts Kafka, MongoDB and the EventStoreDB emulator on
 * 127.0.0.1 with random ports. Usable programmatically; run-with-servers.ts is the CLI.
 */
import { startEsdb } from './esdb';
import { installKafka, startKafka } from './kafka';
import { progress, secondsSince } from './log';
import { installMongo, startMongo } from './mongo';
import type { RunningServer } from './server';
import { removeStaleTempDirs } from './temp-dirs';

export interface TestServers {
  /** CDS_TEST_KAFKA_BROKERS, CDS_TEST_MONGO_URL, CDS_TEST_ESDB_URL. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops every server; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Aborting kills whatever is still starting; startTestServers then rejects. */
  readonly signal?: AbortSignal;
}

export async function startTestServers(options: StartOptions = {}): Promise<TestServers> {
  const { signal } = options;
  const startedAt = Date.now();
  removeStaleTempDirs();
  // Installs run one after the other: two Maven processes sharing ~/.m2 can trip over each other.
  const kafkaInstall = await installKafka(signal);
  const mongoInstall = await installMongo(signal);

  const results = await Promise.allSettled([
    startKafka(kafkaInstall, signal),
    startMongo(mongoInstall, signal),
    startEsdb(signal),
  ]);
  const servers = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  const stop = stopAll(servers);
  if (failures.length > 0) {
    await stop();
    throw failures[0];
  }

  progress(`all servers up in ${secondsSince(startedAt)}`);
  return { env: Object.assign({}, ...servers.map((server) => server.env)), stop };
}

function stopAll(servers: readonly RunningServer[]): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      const startedAt = Date.now();
      const results = await Promise.allSettled(servers.map((server) => server.stop()));
      results.forEach((result, index) => {
        if (result.status === 'rejected') progress(`stopping ${servers[index].name} failed: ${String(result.reason)}`);
      });
      if (servers.length > 0) progress(`servers stopped in ${secondsSince(startedAt)}`);
    })());
}
