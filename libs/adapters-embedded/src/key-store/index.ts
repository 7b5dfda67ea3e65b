export * from './file-key-store';
export * from './master-key-file';
export { KeyStoreUnavailableError } from './key-journal-writer';
export { KeyJournalCorruptionError } from './key-journal-recovery';
