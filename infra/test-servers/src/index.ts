/** Test servers for integration tests: see ../README.md. */
export { startTestServers } from './servers';
export type { StartOptions, TestServers } from './servers';
export { TEST_SERVER_ENV, testServersFromEnv } from './env';
export type { TestServerAddresses } from './env';
export { EsdbFaultControl, startOwnEsdb, startOwnKafka, startOwnMongo } from './own-servers';
export type { RunningEsdb, RunningKafka, RunningMongo } from './own-servers';
export { startApp } from './app-processes';
export type { AppName, AppProcess } from './app-processes';
