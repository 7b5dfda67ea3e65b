export * from './read-model/in-memory-read-model';
export * from './read-model/sqlite-read-model';
export { openSqlite } from './read-model/sqlite-database';
export * from './event-log';
export * from './operations/in-memory-dead-letters';
export * from './operations/in-memory-generations';
export * from './checkpoints/file-checkpoints';
export * from './key-store';
export * from './operations/sqlite-generations';
