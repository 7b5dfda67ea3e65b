/**
 * The contract between the runner and the tests it runs: server addresses travel as environment
 * variables, so any test (or app started by a test) can use them without a jest globalSetup.
 */
export const TEST_SERVER_ENV = {
  /** Kafka bootstrap address, host:port. */
  kafkaBrokers: 'CDS_TEST_KAFKA_BROKERS',
  /** mongodb://127.0.0.1:PORT */
  mongoUrl: 'CDS_TEST_MONGO_URL',
  /** esdb://127.0.0.1:PORT?tls=false */
  esdbUrl: 'CDS_TEST_ESDB_URL',
  /** http://127.0.0.1:PORT, the emulator's fault controls (test-only). */
  esdbControlUrl: 'CDS_TEST_ESDB_CONTROL_URL',
} as const;

export interface TestServerAddresses {
  readonly kafkaBrokers: string;
  readonly mongoUrl: string;
  readonly esdbUrl: string;
  readonly esdbControlUrl: string;
}

/** Reads the addresses exported by run-with-servers; throws a how-to message when absent. */
export function testServersFromEnv(env: NodeJS.ProcessEnv = process.env): TestServerAddresses {
  const missing = Object.values(TEST_SERVER_ENV).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `Missing ${missing.join(', ')}. Integration tests need the test servers: build, then run ` +
        '`node dist/infra/test-servers/src/run-with-servers.js npx jest --selectProjects int`.',
    );
  }
  return {
    kafkaBrokers: env[TEST_SERVER_ENV.kafkaBrokers]!,
    mongoUrl: env[TEST_SERVER_ENV.mongoUrl]!,
    esdbUrl: env[TEST_SERVER_ENV.esdbUrl]!,
    esdbControlUrl: env[TEST_SERVER_ENV.esdbControlUrl]!,
  };
}
