/**
 * In-memory EventStoreDB gRPC emulator for tests. Not a database: see ../README.md for what it
 * does and does not emulate.
 */
export { startEsdbEmulator } from './server';
export type { EsdbEmulatorOptions, RunningEsdbEmulator } from './server';
export { Faults } from './faults';
export type { AppendRefusal, FaultsState, SubscriptionDrop } from './faults';
