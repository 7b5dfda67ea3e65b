export * from './key-store.port';
export * from './master-keys';
export { SealedPayloadError } from './sealed-payload';
export * from './subject-keys';
export * from './in-memory-key-store';
export * from './opening-pool';
export * from './sealing-event-store';
