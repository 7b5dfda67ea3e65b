export * from './esdb-connection-string';
export { createEsdbClient, type EsdbClient } from './esdb-client';
export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store';
export { DEFAULT_RESUBSCRIBE, type EsdbLogger, type ResubscribeSettings } from './esdb-subscription';
