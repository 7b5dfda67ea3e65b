/**
 * Every process a test run starts on its one EventStoreDB log unwraps with one master key from
 * one key store, as every process on a production log must: a process with keys of its own would
 * meet other specs' sealed events it cannot open. Test data only.
 */
export function sharedLogKeys(): Record<string, string> {
  return { CDS_MASTER_KEY: Buffer.alloc(32, 0x5a).toString('base64'), CDS_MONGO_KEYS_DATABASE: 'cds_test_subject_keys' };
}
