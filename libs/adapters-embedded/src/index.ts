export * from './read-model/in-memory-read-model';
export * from './event-log';
export * from './operations/in-memory-dead-letters';
export * from './operations/in-memory-generations';
export * from './checkpoints/file-checkpoints';
export * from './key-store';
