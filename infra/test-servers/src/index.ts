/** Test servers for integration tests: see ../README.md. */
export { startTestServers } from './servers';
export type { StartOptions, TestServers } from './servers';
export { TEST_SERVER_ENV, testServersFromEnv } from './env';
export type { TestServerAddresses } from './env';
