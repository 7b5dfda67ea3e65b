export { FileEventStore, INDEX_FILE_NAME, LOG_FILE_NAME, LOCK_FILE_NAME } from './file-event-store';
export type { FileEventStoreOptions, RecoveryReport } from './file-event-store';
export { EventLogCorruptionError, EventLogInUseError } from './log-errors';
