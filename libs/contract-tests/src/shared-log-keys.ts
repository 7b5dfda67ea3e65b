import { EventStore, KeyStore, masterKeys, parseMasterKey, SealingEventStore, SubjectKeys } from '@cds/application';

/**
 * Every process a test run starts on its one EventStoreDB log unwraps with one master key from
 * one key store, as every process on a production log must: a process with keys of its own would
 * meet other specs' sealed events it cannot open. Test data only.
 */
export function sharedLogKeys(): { CDS_MASTER_KEY: string; CDS_MONGO_KEYS_DATABASE: string } {
  return { CDS_MASTER_KEY: Buffer.alloc(32, 0x5a).toString('base64'), CDS_MONGO_KEYS_DATABASE: 'cds_test_subject_keys' };
}

/** The shared log as the service reads it: what the apps sealed, opened with the keys in `keyStore` (the shared one). */
export function sharedLogView(log: EventStore, keyStore: KeyStore): EventStore {
  const keys = new SubjectKeys(keyStore, masterKeys(parseMasterKey('CDS_MASTER_KEY', sharedLogKeys().CDS_MASTER_KEY)));
  return new SealingEventStore(log, keys, keyStore);
}
